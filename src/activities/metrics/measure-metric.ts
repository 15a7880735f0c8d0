// One metric of a Canary's analysis, measured: resolve where its query comes from (built-in,
// MetricTemplate, or the deprecated inline query), render it, run it on the provider the template
// names. Every failure becomes a measurement error, which the analysis counts as a failed check
// with its reason, as Flagger does; nothing here is retried in a loop against a broken template.
import { FLAGGER_GROUP, FLAGGER_VERSION } from '../../api/canary';
import { type CanarySettings, type MetricSettings } from '../../api/canary-settings';
import { type MetricTemplate, METRIC_TEMPLATE_PLURAL } from '../../api/metric-template';
import { type KubeClients } from '../../kubernetes/client';
import { type CanaryMetrics } from '../../metrics/canary-metrics';
import { builtinQuery, isBuiltinMetric } from '../../rollout/builtin-metrics';
import * as text from '../../rollout/metric-messages';
import { renderQuery } from '../../rollout/query-template';
import { type MetricsProvider, type ProviderSpec } from './metrics-provider';
import { type MetricsProviderFactory } from './providers';
import { qualifiedName } from '../../rollout/names';

/**
 * `error` is the reason alone: the analysis puts Flagger's "Metric query failed for <metric>: "
 * (or its built-in and inline variants) in front of it, once.
 */
export type Measured = { source: 'builtin' | 'template' | 'inline'; query?: string } & ({ value: number | null } | { error: string });

export interface MeasureDependencies {
  /** MetricTemplates and their Secrets. */
  kube: KubeClients;
  /** PERCH_METRICS_SERVER: Prometheus when neither the Canary nor the template names one. */
  metricsServer: string;
  providers: MetricsProviderFactory;
  /** flagger_canary_metric_analysis. */
  metrics: CanaryMetrics;
}

/** Measures one metric; a value also becomes flagger_canary_metric_analysis{metric=<its name>}. */
export async function measureMetric(deps: MeasureDependencies, input: { settings: CanarySettings; metric: MetricSettings }): Promise<Measured> {
  const measured = await measure(deps, input.settings, input.metric);
  if ('value' in measured && measured.value !== null) {
    deps.metrics.observeMetric(input.settings.namespace, input.settings.targetRef.name, input.metric.name, measured.value);
  }
  return measured;
}

async function measure(deps: MeasureDependencies, settings: CanarySettings, metric: MetricSettings): Promise<Measured> {
  const server = settings.metricsServer ?? deps.metricsServer;
  const name = metric.name;
  const builtin = isBuiltinMetric(name);
  if (!builtin && metric.templateRef) return measureTemplate(deps, settings, metric, metric.templateRef);
  const query = isBuiltinMetric(name)
    ? builtinQuery(name, { namespace: settings.namespace, service: settings.service.apexName, interval: metric.interval })
    : metric.query?.replace(/\s+/g, ' ').trim();
  const source = builtin ? 'builtin' : 'inline';
  if (!query) return { source, error: text.noUsableMetric() };
  let provider: MetricsProvider;
  try {
    provider = deps.providers(prometheusAt(server));
  } catch (err) {
    return { source, query, error: errorText(err) };
  }
  return run(source, provider, query, metric, (reason) => reason);
}

/** Flagger's order: the template, its Secret, the provider, the rendered query, the value. */
async function measureTemplate(
  deps: MeasureDependencies,
  settings: CanarySettings,
  metric: MetricSettings,
  ref: { name: string; namespace: string },
): Promise<Measured> {
  const fail = (error: string): Measured => ({ source: 'template', error });
  const found = await templateProvider(deps, settings, ref);
  if ('error' in found) return fail(found.error);
  const { template, provider } = found;
  const rendered = renderQuery(template.spec.query, {
    name: settings.name,
    namespace: settings.namespace,
    target: settings.targetRef.name,
    service: settings.service.apexName,
    ingress: settings.ingressRef?.name ?? settings.targetRef.name,
    route: settings.routeRef?.name ?? settings.targetRef.name,
    interval: metric.interval,
    variables: metric.templateVariables,
  });
  if (!rendered.ok) return fail(text.templateRenderFailed(ref.name, ref.namespace, rendered.error));
  // Flagger's text names the metric only; the template is where the query (and its fix) lives.
  return run('template', provider, rendered.query, metric, (reason) => `Metric template ${qualifiedName(ref)}: ${reason}`);
}

/**
 * Runs the query. An empty answer is first put to the provider: when its backend itself has no
 * fresh data (Prometheus just restarted, or scrapes nothing), that is the reason given instead of
 * the canary's traffic, and it still counts as a failed check. Only under `noData: fail`: the
 * other policies already say what an empty answer means.
 */
async function run(
  source: Measured['source'],
  provider: MetricsProvider,
  query: string,
  metric: MetricSettings,
  reason: (text: string) => string,
): Promise<Measured> {
  try {
    const value = await provider.runQuery(query);
    if (value === null && metric.noData === 'fail' && provider.staleness) {
      const stale = await provider.staleness({ ms: metric.intervalMs, text: metric.interval });
      if (stale !== undefined) return { source, query, error: reason(stale) };
    }
    return { source, query, value };
  } catch (err) {
    return { source, query, error: reason(errorText(err)) };
  }
}

/** The MetricTemplate `ref` and a provider for it, its Secret read; or why not, in Flagger's order. */
export async function templateProvider(
  deps: MeasureDependencies,
  settings: CanarySettings,
  ref: { name: string; namespace: string },
): Promise<{ template: MetricTemplate; provider: MetricsProvider } | { error: string }> {
  let template: MetricTemplate;
  try {
    template = (await deps.kube.custom.getNamespacedCustomObject({
      group: FLAGGER_GROUP,
      version: FLAGGER_VERSION,
      plural: METRIC_TEMPLATE_PLURAL,
      namespace: ref.namespace,
      name: ref.name,
    })) as MetricTemplate;
  } catch (err) {
    return { error: text.templateLookupFailed(ref.name, ref.namespace, errorText(err)) };
  }
  const spec = template.spec.provider;
  let credentials: Record<string, string> = {};
  if (spec.secretRef?.name) {
    try {
      credentials = await secretData(deps.kube, ref.namespace, spec.secretRef.name);
    } catch (err) {
      return { error: text.templateSecretFailed(ref.name, ref.namespace, spec.secretRef.name, errorText(err)) };
    }
  }
  try {
    const provider = deps.providers({
      type: spec.type,
      address: spec.address ?? settings.metricsServer ?? deps.metricsServer,
      headers: spec.headers ?? {},
      credentials,
      insecureSkipVerify: spec.insecureSkipVerify ?? false,
    });
    return { template, provider };
  } catch (err) {
    return { error: text.templateProviderFailed(ref.name, ref.namespace, spec.type, errorText(err)) };
  }
}

export function prometheusAt(address: string): ProviderSpec {
  return { type: 'prometheus', address, headers: {}, credentials: {}, insecureSkipVerify: false };
}

/** Every key of the Secret, decoded; the provider reads the ones it knows. */
async function secretData(kube: KubeClients, namespace: string, name: string): Promise<Record<string, string>> {
  const data = (await kube.core.readNamespacedSecret({ name, namespace })).data ?? {};
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
