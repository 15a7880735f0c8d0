// One metric of a Canary's analysis, measured: resolve where its query comes from (built-in,
// MetricTemplate, or the deprecated inline query), render it, run it. Every failure becomes a
// measurement error, which the analysis counts as a failed check with its reason, as Flagger does;
// nothing here is retried in a loop against a broken template.
import { FLAGGER_GROUP, FLAGGER_VERSION } from '../../api/canary';
import { type CanarySettings, type MetricSettings } from '../../api/canary-settings';
import { type MetricTemplate, METRIC_TEMPLATE_PLURAL } from '../../api/metric-template';
import { coreApi, customObjectsApi } from '../../kubernetes/client';
import { workerMetrics } from '../../metrics/worker-metrics';
import { builtinQuery, isBuiltinMetric } from '../../rollout/builtin-metrics';
import * as text from '../../rollout/metric-messages';
import { renderQuery } from '../../rollout/query-template';
import { PrometheusProvider } from './prometheus';

export type Measured = { source: 'builtin' | 'template' | 'inline'; query?: string } & ({ value: number | null } | { error: string });

/** Flagger's default metrics server, used when neither the Canary nor PERCH_METRICS_SERVER names one. */
const DEFAULT_METRICS_SERVER = 'http://prometheus:9090';

/** Measures one metric; a value also becomes flagger_canary_metric_analysis{metric=<its name>}. */
export async function measureMetric(input: { settings: CanarySettings; metric: MetricSettings }): Promise<Measured> {
  const measured = await measure(input.settings, input.metric);
  if ('value' in measured && measured.value !== null) {
    workerMetrics().observeMetric(input.settings.namespace, input.settings.targetRef.name, input.metric.name, measured.value);
  }
  return measured;
}

async function measure(settings: CanarySettings, metric: MetricSettings): Promise<Measured> {
  const server = settings.metricsServer ?? process.env.PERCH_METRICS_SERVER ?? DEFAULT_METRICS_SERVER;
  if (isBuiltinMetric(metric.name)) {
    const query = builtinQuery(metric.name, { namespace: settings.namespace, service: settings.service.apexName, interval: metric.interval });
    return run('builtin', server, query, {}, (e) => text.inlineQueryFailed(metric.name, e));
  }
  if (metric.templateRef) return measureTemplate(settings, metric, metric.templateRef);
  if (metric.query) return run('inline', server, metric.query.replace(/\s+/g, ' ').trim(), {}, (e) => text.inlineQueryFailed(metric.name, e));
  return { source: 'inline', error: text.noUsableMetric() };
}

async function measureTemplate(settings: CanarySettings, metric: MetricSettings, ref: { name: string; namespace: string }): Promise<Measured> {
  let template: MetricTemplate;
  try {
    template = (await customObjectsApi().getNamespacedCustomObject({
      group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: METRIC_TEMPLATE_PLURAL, namespace: ref.namespace, name: ref.name,
    })) as MetricTemplate;
  } catch (err) {
    return { source: 'template', error: text.templateLookupFailed(ref.name, ref.namespace, errorText(err)) };
  }
  const provider = template.spec.provider;
  if (provider.type !== 'prometheus') {
    return { source: 'template', error: text.templateProviderFailed(ref.name, ref.namespace, provider.type, 'provider not supported by Perch yet') };
  }
  const rendered = renderQuery(template.spec.query, {
    name: settings.name, namespace: settings.namespace, target: settings.targetRef.name, service: settings.service.apexName,
    ingress: settings.ingressRef?.name ?? settings.targetRef.name, route: settings.targetRef.name,
    interval: metric.interval, variables: metric.templateVariables,
  });
  if (!rendered.ok) return { source: 'template', error: text.templateRenderFailed(ref.name, ref.namespace, rendered.error) };
  let headers: Record<string, string>;
  try {
    headers = await credentials(ref.namespace, provider.secretRef?.name);
  } catch (err) {
    return { source: 'template', error: text.templateSecretFailed(ref.name, ref.namespace, provider.secretRef?.name ?? '', errorText(err)) };
  }
  const address = provider.address ?? settings.metricsServer ?? process.env.PERCH_METRICS_SERVER ?? DEFAULT_METRICS_SERVER;
  return run('template', address, rendered.query, headers, (e) => text.templateQueryFailed(metric.name, e));
}

/** Prometheus credentials from the template's Secret: `token` (bearer) or `username` + `password`. */
async function credentials(namespace: string, secret: string | undefined): Promise<Record<string, string>> {
  if (!secret) return {};
  const data = (await coreApi().readNamespacedSecret({ name: secret, namespace })).data ?? {};
  const decode = (k: string) => (data[k] ? Buffer.from(data[k], 'base64').toString('utf8') : undefined);
  const token = decode('token');
  if (token) return { Authorization: `Bearer ${token}` };
  const user = decode('username');
  const password = decode('password');
  if (user && password) return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
  throw new Error(`secret ${secret} has neither token nor username and password`);
}

async function run(source: Measured['source'], address: string, query: string, headers: Record<string, string>, failed: (e: string) => string): Promise<Measured> {
  try {
    return { source, query, value: await new PrometheusProvider({ address, headers }).runQuery(query) };
  } catch (err) {
    return { source, query, error: failed(errorText(err)) };
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
