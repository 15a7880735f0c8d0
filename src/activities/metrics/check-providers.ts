// Flagger's check at initialisation: every metrics backend the Canary's analysis uses answers.
// The built-in metrics' Prometheus, and each MetricTemplate's provider, once each.
import { type CanarySettings } from '../../api/canary-settings';
import { isBuiltinMetric } from '../../rollout/builtin-metrics';
import { errorText, type MeasureDependencies, prometheusAt, templateProvider } from './measure-metric';
import { type MetricsProvider } from './metrics-provider';
import { qualifiedName } from '../../rollout/names';

/** Undefined when every provider is online; else what is wrong with each that is not. */
export async function checkMetricProviders(deps: MeasureDependencies, input: { settings: CanarySettings }): Promise<string | undefined> {
  const { settings } = input;
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const metric of settings.analysis.metrics) {
    // As measureMetric: a built-in name wins over a templateRef.
    const ref = isBuiltinMetric(metric.name) ? undefined : metric.templateRef;
    const key = ref ? `template ${qualifiedName(ref)}` : 'builtin';
    if (seen.has(key)) continue;
    seen.add(key);
    let provider: MetricsProvider;
    if (ref) {
      const found = await templateProvider(deps, settings, ref);
      if ('error' in found) {
        problems.push(found.error);
        continue;
      }
      provider = found.provider;
    } else {
      provider = deps.providers(prometheusAt(settings.metricsServer ?? deps.metricsServer));
    }
    await provider
      .isOnline()
      .catch((err: unknown) => problems.push(ref ? `Metric template ${qualifiedName(ref)}: ${errorText(err)}` : errorText(err)));
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}
