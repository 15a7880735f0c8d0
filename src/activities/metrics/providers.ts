// One MetricsProvider per MetricTemplate `spec.provider.type` (Flagger's providers.Factory). Another
// backend is one more file implementing MetricsProvider and one more entry here.
import { METRIC_PROVIDER_TYPES } from '../../api/metric-template';
import { OPEN, type ReachGuard } from '../http/own-endpoints';
import { type MetricsProvider, type ProviderSpec } from './metrics-provider';
import { PrometheusProvider } from './prometheus';

const PROVIDERS: Readonly<Record<string, (spec: ProviderSpec, reach: ReachGuard) => MetricsProvider>> = {
  prometheus: (spec, reach) => new PrometheusProvider(spec, undefined, reach),
};

/** A provider for the spec; throws, naming the type, when Perch has none for it or the spec is unusable. */
export type MetricsProviderFactory = (spec: ProviderSpec) => MetricsProvider;

/** The providers, their requests kept off the addresses `reach` refuses. */
export const metricsProviders =
  (reach: ReachGuard = OPEN): MetricsProviderFactory =>
  (spec) => {
    const make = Object.hasOwn(PROVIDERS, spec.type) ? PROVIDERS[spec.type] : undefined;
    if (make === undefined) {
      const known = (METRIC_PROVIDER_TYPES as readonly string[]).includes(spec.type);
      throw new Error(
        `provider type ${spec.type} is ${known ? 'not supported by Perch' : 'unknown'}; supported: ${Object.keys(PROVIDERS).join(', ')}`,
      );
    }
    return make(spec, reach);
  };
