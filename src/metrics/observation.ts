// What the workflow tells the status activity besides the status itself, so the worker's
// Flagger-compatible metrics can be kept without extra activities in the workflow's history.
export interface StatusObservation {
  /** targetRef.name: Flagger's `name` label is the target, not the Canary. */
  target: string;
  strategy: 'canary' | 'ab-testing' | 'blue-green';
  /** Set on the status write that ends a rollout. */
  analysis?: 'completed' | 'skipped';
  /** Seconds the interval's checks took (Flagger's tick duration), on per-interval writes. */
  analysisSeconds?: number;
}
