// Number and duration rendering that matches Go's fmt verbs, because users (and their alert rules,
// dashboards and log greps) match Flagger's event texts character for character. JavaScript's own
// formatting differs at the edges: exponent thresholds, rounding of exact ties, infinities, -0.

/** Go's `%v` for a float64: shortest round-trip digits, exponent form outside [1e-4, 1e6). */
export function formatGoFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa = '', exponentText = '0'] = x.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  // Inside this range JavaScript's shortest decimal rendering is the same as Go's.
  return String(x);
}

/**
 * Go's `%.2f`. Differs from `toFixed(2)` only on exact binary ties (x = k/8 with k odd), which Go
 * rounds half-to-even and JavaScript rounds up, and on infinities, -0 and huge values.
 */
export function formatGoFixed2(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  let digits: string;
  if (abs >= 1e21) {
    digits = `${BigInt(abs).toString()}.00`;
  } else if (Number.isInteger(abs * 8) && (abs * 8) % 2 === 1) {
    const below = Math.floor(abs * 100);
    const hundredths = below % 2 === 0 ? below : below + 1;
    digits = `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
  } else {
    digits = abs.toFixed(2);
  }
  return negative ? `-${digits}` : digits;
}

/**
 * Go's `time.Duration.String()` for a whole number of milliseconds (Flagger truncates request
 * durations to whole milliseconds before printing them): "0s", "500ms", "1.2s", "1m1.5s", "1h0m0s".
 */
export function formatGoDurationMs(ms: number): string {
  if (!Number.isFinite(ms)) return ms > 0 ? '+Inf' : ms < 0 ? '-Inf' : 'NaN';
  const whole = Math.trunc(ms);
  if (whole === 0) return '0s';
  const sign = whole < 0 ? '-' : '';
  const abs = Math.abs(whole);
  if (abs < 1000) return `${sign}${abs}ms`;
  const fraction = abs % 1000;
  const fractionText = fraction === 0 ? '' : `.${String(fraction).padStart(3, '0').replace(/0+$/, '')}`;
  const totalSeconds = Math.floor(abs / 1000);
  let text = `${totalSeconds % 60}${fractionText}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes > 0) {
    text = `${totalMinutes % 60}m${text}`;
    const hours = Math.floor(totalMinutes / 60);
    if (hours > 0) text = `${hours}h${text}`;
  }
  return `${sign}${text}`;
}
