// Checks for the two resources a Canary points at: MetricTemplate (templateRef) and AlertProvider
// (providerRef). Same contract as validateCanary: a list of problems naming the field path.
import { ALERT_PROVIDER_TYPES, type AlertProvider } from './alert-provider';
import { METRIC_PROVIDER_TYPES, SUPPORTED_METRIC_PROVIDER_TYPES, type MetricTemplate } from './metric-template';
import { promqlSyntaxProblem } from './promql-check';
import { type DeepPartial, isHttpUrl, quote } from './checks';
import { ALERT_PROVIDER_SPEC_SHAPE, METRIC_TEMPLATE_SPEC_SHAPE, shapeProblems } from './shape';

export function validateMetricTemplate(template: DeepPartial<MetricTemplate>): string[] {
  const spec = template.spec;
  if (!spec) return ['spec is required'];
  const mistyped = shapeProblems(METRIC_TEMPLATE_SPEC_SHAPE, spec, 'spec');
  if (mistyped.length > 0) return mistyped;
  const problems: string[] = [];
  const provider = spec.provider;
  const type = provider?.type;
  if (!provider) {
    problems.push('spec.provider is required');
  } else if (!type) {
    problems.push('spec.provider.type is required (prometheus)');
  } else if (!(METRIC_PROVIDER_TYPES as readonly string[]).includes(type)) {
    problems.push(`spec.provider.type ${quote(type)} is not a known metrics provider (${METRIC_PROVIDER_TYPES.join(', ')})`);
  } else if (!SUPPORTED_METRIC_PROVIDER_TYPES.includes(type)) {
    problems.push(`spec.provider.type ${type} is not supported by Perch yet; only ${SUPPORTED_METRIC_PROVIDER_TYPES.join(', ')} is`);
  }
  if (provider?.address !== undefined && !isHttpUrl(provider.address)) {
    problems.push(`spec.provider.address ${quote(provider.address)} is not an absolute http(s) URL`);
  }
  if (provider?.secretRef && !provider.secretRef.name) problems.push('spec.provider.secretRef.name is required');
  if (!spec.query?.trim()) {
    problems.push('spec.query is required');
  } else if (type === 'prometheus') {
    const syntax = promqlSyntaxProblem(spec.query);
    if (syntax) problems.push(`spec.query ${syntax}`);
  }
  return problems;
}

export function validateAlertProvider(provider: DeepPartial<AlertProvider>): string[] {
  const spec = provider.spec;
  if (!spec) return ['spec is required'];
  const mistyped = shapeProblems(ALERT_PROVIDER_SPEC_SHAPE, spec, 'spec');
  if (mistyped.length > 0) return mistyped;
  const problems: string[] = [];
  if (!spec.type || !(ALERT_PROVIDER_TYPES as readonly string[]).includes(spec.type)) {
    problems.push(`spec.type must be one of ${ALERT_PROVIDER_TYPES.join(', ')}, got ${quote(spec.type ?? '')}`);
  }
  if (!spec.address && !spec.secretRef) {
    problems.push('spec.address or spec.secretRef is required: Perch needs somewhere to send alerts');
  }
  if (spec.address && !isHttpUrl(spec.address)) {
    problems.push(`spec.address ${quote(spec.address)} is not an absolute http(s) URL`);
  }
  if (spec.secretRef && !spec.secretRef.name) problems.push('spec.secretRef.name is required');
  if (spec.proxy && !isHttpUrl(spec.proxy)) problems.push(`spec.proxy ${quote(spec.proxy)} is not an absolute http(s) URL`);
  return problems;
}
