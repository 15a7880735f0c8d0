// Retrying something that fails for a while (Temporal away, an API server restarting): waits that
// double up to a ceiling, with jitter so that many retriers do not come back in step.

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/**
 * The wait before retry number `failures` (1 for the first): doubling from `initialMs`, capped at
 * `maxMs`, then a random part of up to half taken off.
 */
export function retryDelayMs(failures: number, backoff: Backoff, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures - 1, 30));
  return Math.round(ceiling * (1 - random() / 2));
}
