// Metric analysis: the activity, and the seam a second metrics backend plugs into.
import { using } from '../bind';
import { checkMetricProviders } from './check-providers';
import { type MeasureDependencies, measureMetric } from './measure-metric';

export { type MeasureDependencies, type Measured } from './measure-metric';
export { type MetricsProvider, type ProviderSpec, type QueryWindow } from './metrics-provider';
export { metricsProviders, type MetricsProviderFactory } from './providers';

export function metricActivities(deps: MeasureDependencies) {
  return { measureMetric: using(deps, measureMetric), checkMetricProviders: using(deps, checkMetricProviders) };
}
