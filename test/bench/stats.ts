// Order statistics for the bench's figures. Percentiles are nearest-rank: p99 of 40 samples is the
// largest, so a figure is always a value that was measured.

export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values: readonly number[]) => percentile(values, 50);

export interface Spread {
  n: number;
  p50?: number;
  p99?: number;
  min?: number;
  max?: number;
}

export function spread(values: readonly number[]): Spread {
  return { n: values.length, p50: median(values), p99: percentile(values, 99), min: percentile(values, 0), max: percentile(values, 100) };
}
