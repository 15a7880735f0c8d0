// The seam between analysis and a metrics backend (Flagger's pkg/metrics/providers Interface).
// Prometheus is implemented; Datadog, CloudWatch and the rest would be further classes.

export interface MetricsProvider {
  /**
   * One instant value. `null` means the query answered no sample or NaN: Flagger's "no values
   * found", nearly always a canary that received no traffic in the metric's interval.
   */
  runQuery(query: string): Promise<number | null>;
  /** Whether the backend answers a trivial query correctly (Flagger: `vector(1)` must be 1). */
  isOnline(): Promise<boolean>;
}
