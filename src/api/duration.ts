// Go-style duration strings, as Kubernetes manifests, Flagger and Contour write them: "30s", "1m",
// "1m30s", "250ms", "1.5h". Returns milliseconds, or undefined when the text is not a duration or
// is longer than Go's time.Duration holds (about 292 years), as Go's time.ParseDuration refuses it.

/** math.MaxInt64 nanoseconds. */
const MAX_DURATION_MS = 9_223_372_036_854.775;

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 1e-6 };

export function parseDurationMs(text: string): number | undefined {
  if (text === '') return undefined;
  if (text === '0') return 0;
  let total = 0;
  let rest = text;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0);
    rest = rest.slice(m[0].length);
  }
  return total <= MAX_DURATION_MS ? total : undefined;
}
