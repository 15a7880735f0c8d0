// Metric activities. Inputs and outputs are plain JSON: they cross Temporal's activity boundary.
import { PrometheusProvider } from './prometheus';

/**
 * One instant query. `value: null` is Flagger's "no values found" (no sample, or NaN). Throws a
 * non-retryable ApplicationFailure of type InvalidQuery for a query Prometheus rejects or whose
 * answer is a range; connection failures and server errors are retryable.
 */
export async function queryMetric(input: { address: string; query: string }): Promise<{ value: number | null }> {
  return { value: await new PrometheusProvider({ address: input.address }).runQuery(input.query) };
}
