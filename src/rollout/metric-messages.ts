// Flagger's texts for metric checks, number formatting included: success rates and custom values
// print as Go's %.2f, bounds as Go's %v, durations as Go's time.Duration ("1.2s", "500ms").
import { formatGoDurationMs, formatGoFixed2, formatGoFloat } from './go-format';
import { type CanaryRef, canaryId, targetId } from './names';

export type Comparison = '<' | '>';

/** e.g. "Halt podinfo.test advancement success rate 69.17% < 99%". */
export const successRateHalt = (ref: CanaryRef, value: number, op: Comparison, bound: number): string =>
  `Halt ${canaryId(ref)} advancement success rate ${formatGoFixed2(value)}% ${op} ${formatGoFloat(bound)}%`;

/** e.g. "Halt podinfo.test advancement request duration 1.2s > 500ms" (both in whole ms). */
export const durationHalt = (ref: CanaryRef, valueMs: number, op: Comparison, boundMs: number): string =>
  `Halt ${canaryId(ref)} advancement request duration ${formatGoDurationMs(valueMs)} ${op} ${formatGoDurationMs(boundMs)}`;

/** Template and inline-query metrics, e.g. "Halt podinfo.test advancement error-rate 2.50 > 1". */
export const customHalt = (ref: CanaryRef, metric: string, value: number, op: Comparison, bound: number): string =>
  `Halt ${canaryId(ref)} advancement ${metric} ${formatGoFixed2(value)} ${op} ${formatGoFloat(bound)}`;

/**
 * A built-in metric whose query answered nothing. Flagger appends the wrapped error only for the
 * success rate; the duration variant ends after "traffic".
 */
export function builtinNoValues(ref: CanaryRef, provider: string, metric: string): string {
  const text = `Halt advancement no values found for ${provider} metric ${metric} probably ${targetId(ref)} is not receiving traffic`;
  return metric === 'request-success-rate' ? `${text}: running query failed: no values found` : text;
}

export const templateNoValues = (metric: string): string => `Halt advancement no values found for custom metric: ${metric}: no values found`;
export const inlineNoValues = (metric: string): string => `Halt advancement no values found for metric: ${metric}`;

/** Built-in query errors carry the observer's "running query failed: " wrapping. */
export const builtinQueryFailed = (err: string): string => `Prometheus query failed: running query failed: ${err}`;
export const inlineQueryFailed = (metric: string, err: string): string => `Prometheus query failed for ${metric}: ${err}`;
export const templateQueryFailed = (metric: string, err: string): string => `Metric query failed for ${metric}: ${err}`;

export const templateLookupFailed = (template: string, namespace: string, err: string): string =>
  `Metric template ${template}.${namespace} error: ${err}`;
export const templateSecretFailed = (template: string, namespace: string, secret: string, err: string): string =>
  `Metric template ${template}.${namespace} secret ${secret} error: ${err}`;
export const templateProviderFailed = (template: string, namespace: string, providerType: string, err: string): string =>
  `Metric template ${template}.${namespace} provider ${providerType} error: ${err}`;
export const templateRenderFailed = (template: string, namespace: string, err: string): string =>
  `Metric template ${template}.${namespace} query render error: ${err}`;
/** Flagger's text names no metric; the verdict's detail does. */
export const noUsableMetric = (): string => 'Metric query failed for no usable metrics template and query were configured';

/** Perch only: the `noData` policies other than `fail`. */
export const noDataPassed = (metric: string): string => `No values found for metric ${metric}, counted as passing (noData: pass)`;
export const noDataHeld = (metric: string): string => `No values found for metric ${metric}, holding the step until data comes (noData: hold)`;

/** The probable causes Flagger's "no values found" leaves to the reader. */
export function noValuesDetail(metric: string, query: string | undefined): string {
  const q = query === undefined ? '' : `; query: ${query}`;
  return `${metric}: the query returned no sample or NaN, usually because the canary received no requests in the metric's interval (no load test, or traffic not reaching it) or the metrics are not scraped${q}`;
}
