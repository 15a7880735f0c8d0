// The seam between analysis and a metrics backend (Flagger's pkg/metrics/providers Interface).
// Prometheus is implemented; another backend is one more class, registered in providers.ts.

/** A MetricTemplate's `spec.provider` with its Secret read: all a provider needs to connect. */
export interface ProviderSpec {
  type: string;
  address: string;
  /** Extra HTTP headers; a header may repeat. */
  headers: Readonly<Record<string, readonly string[]>>;
  /** The `secretRef` Secret's data, decoded; empty without one. Each provider reads its own keys. */
  credentials: Readonly<Record<string, string>>;
  /** Skip TLS certificate verification. */
  insecureSkipVerify: boolean;
}

/** The stretch of time a query looks back over, e.g. the metric's `interval`. */
export interface QueryWindow {
  ms: number;
  /** As the user wrote it, for messages: "1m". */
  text: string;
}

export interface MetricsProvider {
  /**
   * One instant value. `null` means the query answered no sample or NaN: Flagger's "no values
   * found", nearly always a canary that received no traffic in the metric's interval.
   */
  runQuery(query: string): Promise<number | null>;
  /** Resolves when the backend answers a trivial query as it should; throws saying why not (Flagger's IsOnline). */
  isOnline(): Promise<void>;
  /**
   * Why the backend itself has no data for `window` up to now, when it can tell (Prometheus just
   * restarted, or scrapes nothing), so an empty answer is not blamed on the canary's traffic.
   * Undefined when the backend looks healthy, or cannot say.
   */
  staleness?(window: QueryWindow): Promise<string | undefined>;
}
