// Judges one measured metric value against its thresholds, the way Flagger compares them, and
// explains the judgement: a verdict carries Flagger's event text plus a detail string with the raw
// value, the bounds and the query, which Flagger's texts leave out.
import { isBuiltinMetric } from './builtin-metrics';
import { formatGoDurationMs, formatGoFixed2, formatGoFloat } from './go-format';
import * as text from './metric-messages';
import { type CanaryRef } from './names';

export interface ThresholdRange {
  readonly min?: number;
  readonly max?: number;
}

export interface MetricCheck {
  readonly name: string;
  /** Where the value came from: it decides the comparison units and the texts. */
  readonly source: 'builtin' | 'template' | 'inline';
  readonly thresholdRange?: ThresholdRange;
  /** Deprecated: a minimum for request-success-rate, a maximum otherwise (ms for request-duration). */
  readonly threshold?: number;
  /** The query as sent, for the detail text. */
  readonly query?: string;
  /** What no data means; `fail` when absent. */
  readonly noData?: 'fail' | 'pass' | 'hold';
}

/** A query's answer: a number, nothing (null or NaN: Flagger's "no values found"), or an error. */
export type Measurement = { readonly value: number | null } | { readonly error: string };

export type VerdictOutcome = 'pass' | 'below-min' | 'above-max' | 'no-data' | 'error';

export interface MetricVerdict {
  readonly ok: boolean;
  readonly metric: string;
  readonly outcome: VerdictOutcome;
  /** The value as compared: percent for the success rate, whole ms for the duration, raw otherwise. */
  readonly value: number | undefined;
  /** The bounds in words, e.g. ">= 99%", "<= 500ms", ">= 1 and <= 5", "none". */
  readonly thresholdText: string;
  /** On failure Flagger's event text; on success a short summary for logs (Flagger emits nothing). */
  readonly message: string;
  readonly level: 'info' | 'warning' | 'error';
  readonly detail: string;
  /** No data under the `hold` policy: neither passed nor failed; the step waits. */
  readonly held?: boolean;
}

export interface VerdictContext {
  readonly canary: CanaryRef;
  /** The metrics provider name Flagger puts in "no values found" texts: "contour" for Contour. */
  readonly provider?: string;
}

type Kind = 'success-rate' | 'duration' | 'custom';

interface Bounds {
  readonly min?: number;
  readonly max?: number;
}

function kindOf(check: MetricCheck): Kind {
  if (check.source !== 'builtin' || !isBuiltinMetric(check.name)) return 'custom';
  return check.name === 'request-success-rate' ? 'success-rate' : 'duration';
}

/**
 * The bounds in force. An absent deprecated `threshold` means "no bound" here; Flagger cannot tell
 * absent from 0, so it fails every positive duration or custom value of a metric without bounds.
 */
function boundsOf(check: MetricCheck, kind: Kind): Bounds {
  const range = check.thresholdRange;
  let bounds: Bounds;
  if (range !== undefined) bounds = { min: range.min, max: range.max };
  else if (check.threshold === undefined) bounds = {};
  else bounds = kind === 'success-rate' ? { min: check.threshold } : { max: check.threshold };
  // Flagger converts millisecond bounds to a Go Duration, which drops the fraction.
  if (kind !== 'duration') return bounds;
  return {
    min: bounds.min === undefined ? undefined : Math.trunc(bounds.min),
    max: bounds.max === undefined ? undefined : Math.trunc(bounds.max),
  };
}

function show(kind: Kind, n: number): string {
  if (kind === 'duration') return formatGoDurationMs(n);
  return kind === 'success-rate' ? `${formatGoFloat(n)}%` : formatGoFloat(n);
}

function showValue(kind: Kind, n: number): string {
  if (kind === 'duration') return formatGoDurationMs(n);
  return kind === 'success-rate' ? `${formatGoFixed2(n)}%` : formatGoFixed2(n);
}

function describeBounds(kind: Kind, b: Bounds): string {
  const parts: string[] = [];
  if (b.min !== undefined) parts.push(`>= ${show(kind, b.min)}`);
  if (b.max !== undefined) parts.push(`<= ${show(kind, b.max)}`);
  return parts.length === 0 ? 'none' : parts.join(' and ');
}

function queryNote(check: MetricCheck): string {
  return check.query === undefined ? '' : `; query: ${check.query}`;
}

function haltText(kind: Kind, check: MetricCheck, ctx: VerdictContext, value: number, op: text.Comparison, bound: number): string {
  if (kind === 'success-rate') return text.successRateHalt(ctx.canary, value, op, bound);
  if (kind === 'duration') return text.durationHalt(ctx.canary, value, op, bound);
  return text.customHalt(ctx.canary, check.name, value, op, bound);
}

function unavailable(kind: Kind, check: MetricCheck, ctx: VerdictContext, m: Measurement, bounds: string): MetricVerdict {
  const base = { ok: false, metric: check.name, value: undefined, thresholdText: bounds } as const;
  if ('error' in m) {
    const message =
      check.source === 'builtin' && kind !== 'custom'
        ? text.builtinQueryFailed(m.error)
        : check.source === 'inline'
          ? text.inlineQueryFailed(check.name, m.error)
          : text.templateQueryFailed(check.name, m.error);
    return { ...base, outcome: 'error', level: 'error', message, detail: `${check.name}: query failed: ${m.error}${queryNote(check)}` };
  }
  const message =
    kind !== 'custom'
      ? text.builtinNoValues(ctx.canary, ctx.provider ?? 'contour', check.name)
      : check.source === 'inline'
        ? text.inlineNoValues(check.name)
        : text.templateNoValues(check.name);
  const detail = text.noValuesDetail(check.name, check.query);
  const policy = check.noData ?? 'fail';
  if (policy === 'pass') return { ...base, ok: true, outcome: 'no-data', level: 'info', message: text.noDataPassed(check.name), detail };
  if (policy === 'hold') return { ...base, outcome: 'no-data', level: 'info', message: text.noDataHeld(check.name), detail, held: true };
  // The rendered query goes into the Event, so the reader can run it and see the empty answer.
  const query = check.query === undefined ? '' : `; query: ${check.query}`;
  return { ...base, outcome: 'no-data', level: 'warning', message: message + query, detail };
}

/** Compares a measurement with the check's bounds: minimum first, then maximum, as Flagger does. */
export function evaluateMetric(check: MetricCheck, measurement: Measurement, ctx: VerdictContext): MetricVerdict {
  const kind = kindOf(check);
  const bounds = boundsOf(check, kind);
  const thresholdText = describeBounds(kind, bounds);
  if ('error' in measurement || measurement.value === null || Number.isNaN(measurement.value)) {
    return unavailable(kind, check, ctx, measurement, thresholdText);
  }
  const raw = measurement.value;
  // The duration query answers milliseconds; Flagger truncates them to whole ms. An infinite p99
  // (every request in the +Inf bucket) stays infinite here and fails a maximum; Flagger's int64
  // conversion turns it into a negative duration that passes.
  const value = kind === 'duration' && Number.isFinite(raw) ? Math.trunc(raw) : raw;
  const rawNote = value === raw ? '' : ` (raw ${String(raw)})`;
  const fail = (outcome: 'below-min' | 'above-max', op: text.Comparison, bound: number): MetricVerdict => ({
    ok: false,
    metric: check.name,
    outcome,
    value,
    thresholdText,
    level: 'warning',
    message: haltText(kind, check, ctx, value, op, bound),
    detail: `${check.name} measured ${showValue(kind, value)}${rawNote}, ${outcome === 'below-min' ? 'below the minimum' : 'above the maximum'} ${show(kind, bound)} (bounds ${thresholdText})${queryNote(check)}`,
  });
  if (bounds.min !== undefined && value < bounds.min) return fail('below-min', '<', bounds.min);
  if (bounds.max !== undefined && value > bounds.max) return fail('above-max', '>', bounds.max);
  return {
    ok: true,
    metric: check.name,
    outcome: 'pass',
    value,
    thresholdText,
    level: 'info',
    message: `${check.name} ${showValue(kind, value)} within ${thresholdText}`,
    detail: `${check.name} measured ${showValue(kind, value)}${rawNote} within bounds ${thresholdText}${queryNote(check)}`,
  };
}

/**
 * A check that failed before any value was measured (template missing, secret unreadable, query
 * not renderable, nothing to query). Flagger counts these as failed checks too.
 */
export function failedMetric(metric: string, message: string, detail: string = message): MetricVerdict {
  return { ok: false, metric, outcome: 'error', value: undefined, thresholdText: 'none', message, level: 'error', detail };
}
