// Checks a Canary beyond what the CRD schema can express, in words an operator can act on. Each
// problem names the field path. The input is loosely typed on purpose: it is whatever the cluster
// (or a test, or a dry run) hands over, and a missing required field is itself a problem to report.
import { type Canary, type CanaryService } from './canary';
import { ALERT_SEVERITIES, WEBHOOK_TYPES, type CanaryAnalysis, type CanaryMetric, type CanaryWebhook } from './canary-analysis';
import { checkDuration, type DeepPartial, isHttpUrl, quote } from './checks';
import { isBuiltinMetric } from '../rollout/builtin-metrics';
import { CANARY_SPEC_SHAPE, shapeProblems } from './shape';
import {
  checkHeadless,
  checkMatch,
  checkMirror,
  checkOtherRouterFields,
  checkProvider,
  checkServiceMatch,
  checkSessionAffinity,
} from './routing-validation';

export { validateAlertProvider, validateMetricTemplate } from './resource-validation';

export type { DeepPartial } from './checks';

export const SUPPORTED_TARGET_KINDS = ['Deployment', 'DaemonSet'] as const;

/** Returns every problem found; an empty list means the Canary can be run. */
export function validateCanary(canary: DeepPartial<Canary>): string[] {
  const problems: string[] = [];
  const spec = canary.spec;
  if (!spec) return ['spec is required'];
  // The checks below are written for the right types; a wrong one is named first, alone.
  const mistyped = shapeProblems(CANARY_SPEC_SHAPE, spec, 'spec');
  if (mistyped.length > 0) return mistyped;
  const target = spec.targetRef;
  if (!target) {
    problems.push('spec.targetRef is required');
  } else {
    if (!target.name) problems.push('spec.targetRef.name is required');
    else problems.push(...checkNames(target.name, spec.service?.name));
    if (!target.kind) {
      problems.push('spec.targetRef.kind is required (Deployment or DaemonSet)');
    } else if (!(SUPPORTED_TARGET_KINDS as readonly string[]).includes(target.kind)) {
      problems.push(`spec.targetRef.kind ${target.kind} is not supported yet: Perch manages Deployment and DaemonSet targets`);
    }
  }
  if (spec.progressDeadlineSeconds !== undefined && !isWhole(spec.progressDeadlineSeconds, 1)) {
    problems.push(
      `spec.progressDeadlineSeconds must be a whole, positive number of seconds (at most ${INT32_MAX}), got ${spec.progressDeadlineSeconds}`,
    );
  }
  problems.push(...checkProvider(spec.provider));
  problems.push(...checkService(spec.service));
  problems.push(...checkServiceMatch(spec.service));
  problems.push(...checkHeadless(spec.service));
  problems.push(...checkOtherRouterFields(spec));
  problems.push(...checkAutoscalerRef(spec.autoscalerRef));
  const analysis = spec.analysis ?? spec.canaryAnalysis;
  if (!analysis) problems.push('spec.analysis is required');
  else problems.push(...checkAnalysis(analysis, spec.analysis ? 'spec.analysis' : 'spec.canaryAnalysis'));
  return problems;
}

/**
 * Flagger's `-no-cross-namespace-refs`: a MetricTemplate or AlertProvider named in another namespace
 * than the Canary's is a problem (the flag's purpose: a tenant cannot use another namespace's
 * credentials). Checked only when the installation sets it.
 */
export function crossNamespaceRefs(canary: DeepPartial<Canary>): string[] {
  const namespace = canary.metadata?.namespace;
  const spec = canary.spec;
  const analysis = spec?.analysis ?? spec?.canaryAnalysis;
  const path = spec?.analysis ? 'spec.analysis' : 'spec.canaryAnalysis';
  const problems: string[] = [];
  const foreign = (ns: string | undefined): boolean => ns !== undefined && ns !== '' && ns !== namespace;
  const list = <T>(items: T[] | undefined): T[] => (Array.isArray(items) ? items : []);
  list(analysis?.metrics).forEach((m, i) => {
    if (foreign(m.templateRef?.namespace)) {
      problems.push(
        `${path}.metrics[${i}].templateRef.namespace ${m.templateRef?.namespace ?? ''} is not the Canary's namespace: cross-namespace references are disabled (PERCH_NO_CROSS_NAMESPACE_REFS)`,
      );
    }
  });
  list(analysis?.alerts).forEach((a, i) => {
    if (foreign(a.providerRef?.namespace)) {
      problems.push(
        `${path}.alerts[${i}].providerRef.namespace ${a.providerRef?.namespace ?? ''} is not the Canary's namespace: cross-namespace references are disabled (PERCH_NO_CROSS_NAMESPACE_REFS)`,
      );
    }
  });
  return problems;
}

function checkService(s: DeepPartial<CanaryService> | undefined): string[] {
  if (!s) return ['spec.service is required (at least spec.service.port)'];
  const problems: string[] = [];
  if (s.port === undefined) problems.push('spec.service.port is required');
  else if (!isPort(s.port)) problems.push(`spec.service.port must be a whole number between 1 and 65535, got ${s.port}`);
  if (typeof s.targetPort === 'number' && !isPort(s.targetPort) && s.targetPort !== 0) {
    problems.push(`spec.service.targetPort must be between 1 and 65535 or a port name, got ${s.targetPort}`);
  }
  problems.push(...checkDuration('spec.service.timeout', s.timeout));
  if (s.retries) {
    problems.push(...checkDuration('spec.service.retries.perTryTimeout', s.retries.perTryTimeout));
    if (s.retries.attempts !== undefined && !isWhole(s.retries.attempts, 0)) {
      problems.push(`spec.service.retries.attempts must be a whole number of at least 0, got ${s.retries.attempts}`);
    }
  }
  return problems;
}

function checkAnalysis(a: DeepPartial<CanaryAnalysis>, path: string): string[] {
  const problems: string[] = [];
  problems.push(...checkDuration(`${path}.interval`, a.interval));
  if (a.threshold !== undefined && !isWhole(a.threshold, 1)) {
    problems.push(`${path}.threshold must be a whole number of at least 1, got ${a.threshold}`);
  }
  problems.push(...checkSteps(a, path));
  problems.push(...checkMirror(a, path));
  problems.push(...checkSessionAffinity(a, path));
  problems.push(...checkMatch(a.match, path));
  (a.metrics ?? []).forEach((m, i) => problems.push(...checkMetric(m, `${path}.metrics[${i}]`)));
  (a.webhooks ?? []).forEach((w, i) => problems.push(...checkWebhook(w, `${path}.webhooks[${i}]`)));
  (a.alerts ?? []).forEach((al, i) => {
    const at = `${path}.alerts[${i}]`;
    if (!al.name) problems.push(`${at}.name is required`);
    if (!al.providerRef?.name) problems.push(`${at}.providerRef.name is required`);
    if (al.severity !== undefined && !(ALERT_SEVERITIES as readonly string[]).includes(al.severity)) {
      problems.push(`${at}.severity must be one of info, warn, error, got ${quote(al.severity)}`);
    }
  });
  return problems;
}

function checkSteps(a: DeepPartial<CanaryAnalysis>, path: string): string[] {
  const problems: string[] = [];
  // Flagger's CRD admits exactly one of the three (by presence, not by value).
  const drivers = (['iterations', 'stepWeight', 'stepWeights'] as const).filter((k) => a[k] !== undefined);
  if (drivers.length > 1) {
    problems.push(`${path} sets ${drivers.join(' and ')}; set only one of stepWeight, stepWeights or iterations`);
  }
  const steps = a.stepWeights ?? [];
  if (!(a.stepWeight && a.stepWeight > 0) && steps.length === 0 && !(a.iterations && a.iterations > 0)) {
    problems.push(`${path} must set stepWeight, stepWeights or iterations (a positive value): nothing would ever advance`);
  }
  if (a.maxWeight !== undefined && !isPercent(a.maxWeight, true)) {
    problems.push(`${path}.maxWeight must be between 1 and 100, got ${a.maxWeight}`);
  }
  if (a.stepWeight !== undefined && !isPercent(a.stepWeight, true)) {
    problems.push(`${path}.stepWeight must be between 1 and 100, got ${a.stepWeight}`);
  }
  steps.forEach((w, i) => {
    if (!isPercent(w, false)) problems.push(`${path}.stepWeights[${i}] must be between 1 and 100, got ${w}`);
    const prev = steps[i - 1];
    if (prev !== undefined && !(w > prev)) {
      problems.push(`${path}.stepWeights must be strictly increasing, but ${w} follows ${prev} at index ${i}`);
    }
  });
  if (a.stepWeightPromotion !== undefined && !isPercent(a.stepWeightPromotion, true)) {
    problems.push(`${path}.stepWeightPromotion must be between 1 and 100, got ${a.stepWeightPromotion}`);
  }
  if (a.iterations !== undefined && !(Number.isInteger(a.iterations) && a.iterations >= 0)) {
    problems.push(`${path}.iterations must be a whole number of at least 1, got ${a.iterations}`);
  }
  for (const key of ['primaryReadyThreshold', 'canaryReadyThreshold'] as const) {
    const v = a[key];
    if (v !== undefined && !(v >= 0 && v <= 100)) problems.push(`${path}.${key} must be between 0 and 100, got ${v}`);
  }
  return problems;
}

function checkMetric(m: DeepPartial<CanaryMetric>, at: string): string[] {
  const problems: string[] = [];
  if (!m.name) problems.push(`${at}.name is required`);
  problems.push(...checkDuration(`${at}.interval`, m.interval));
  if (m.templateRef && !m.templateRef.name) problems.push(`${at}.templateRef.name is required`);
  if (m.name && !isBuiltinMetric(m.name) && !m.templateRef && !m.query) {
    problems.push(`${at} ${quote(m.name)} is not a built-in metric (request-success-rate, request-duration) and has neither templateRef nor query`);
  }
  const range = m.thresholdRange;
  if (range?.min !== undefined && range.max !== undefined && range.min > range.max) {
    problems.push(`${at}.thresholdRange.min (${range.min}) is greater than max (${range.max}): no value can pass`);
  }
  return problems;
}

function checkWebhook(w: DeepPartial<CanaryWebhook>, at: string): string[] {
  const problems: string[] = [];
  if (!w.name) problems.push(`${at}.name is required`);
  if (!w.url) problems.push(`${at}.url is required`);
  else if (!isHttpUrl(w.url)) problems.push(`${at}.url ${quote(w.url)} is not an absolute http(s) URL`);
  if (w.type !== undefined && !(WEBHOOK_TYPES as readonly string[]).includes(w.type)) {
    problems.push(`${at}.type ${quote(w.type)} is not one of ${WEBHOOK_TYPES.filter((t) => t !== '').join(', ')}`);
  }
  problems.push(...checkDuration(`${at}.timeout`, w.timeout));
  if (w.retries !== undefined && !isWhole(w.retries, 0)) {
    problems.push(`${at}.retries must be a whole number of at least 0, got ${w.retries}`);
  }
  return problems;
}

/** Flagger holds these as Go int32. */
const INT32_MAX = 2 ** 31 - 1;

function isWhole(n: number, min: number): boolean {
  return Number.isInteger(n) && n >= min && n <= INT32_MAX;
}

/** A DNS-1035 label, as Service names must be. */
const SERVICE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain, as Deployment and DaemonSet names are. */
const WORKLOAD_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PRIMARY_SUFFIX = '-primary';

/**
 * The target is copied to `<target>-primary` and the Services are named `<apex>`, `<apex>-primary`
 * and `<apex>-canary`, the apex being `service.name` or else the target's name: each must be a name
 * Kubernetes accepts, or the rollout would fail at its first write.
 */
function checkNames(target: string, apex: string | undefined): string[] {
  const problems: string[] = [];
  if (!WORKLOAD_NAME.test(target) || target.length + PRIMARY_SUFFIX.length > 253) {
    problems.push(`spec.targetRef.name ${quote(target)} is not a Kubernetes workload name that can take the suffix ${PRIMARY_SUFFIX}`);
  }
  const [field, name] = apex ? ['spec.service.name', apex] : ['spec.targetRef.name', target];
  if (!SERVICE_NAME.test(name) || name.length + PRIMARY_SUFFIX.length > 63) {
    problems.push(
      `${field} ${quote(name)} cannot name the Services${apex ? '' : ' (spec.service.name is unset)'}: it must be a DNS label of lowercase letters, digits and '-' starting with a letter, at most ${63 - PRIMARY_SUFFIX.length} characters`,
    );
  }
  return problems;
}

function isPercent(n: number, zeroMeansUnset: boolean): boolean {
  if (zeroMeansUnset && n === 0) return true;
  return Number.isInteger(n) && n >= 1 && n <= 100;
}

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** primaryScalerQueries shape a KEDA ScaledObject's triggers; an HPA has none to take them. */
function checkAutoscalerRef(ref: DeepPartial<Canary['spec']['autoscalerRef']>): string[] {
  if (ref?.kind !== 'HorizontalPodAutoscaler' || Object.keys(ref.primaryScalerQueries ?? {}).length === 0) return [];
  return ['spec.autoscalerRef.primaryScalerQueries applies to a KEDA ScaledObject only; a HorizontalPodAutoscaler has no queries: remove it'];
}
