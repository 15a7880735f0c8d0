// Turns one interval's hook results and metric verdicts into Flagger's events and a pass/fail
// outcome. One failed check per interval, reported by its first failure in Flagger's order
// (hooks in spec order, then metrics in spec order); the detail lists every failure seen, since
// Perch may evaluate more checks than Flagger, which stops at the first.
import { type AnalysisGate, type HookResult } from './analysis-types';
import * as hooks from './hook-messages';
import { error, info, startingAnalysis, warning, type RolloutEvent } from './messages';
import { type CanaryRef } from './names';
import { type MetricVerdict } from './verdict';

export interface StageResult {
  readonly events: readonly RolloutEvent[];
  /** Present when the stage failed: the detail explaining every failure. */
  readonly failure?: string;
  /** Present when nothing failed but a metric under `noData: hold` had no data: the step waits. */
  readonly held?: string;
}

/** Pre-rollout hooks: announced, then one event per passing hook, stopping at the first failure. */
export function preRolloutStage(ref: CanaryRef, results: readonly HookResult[]): StageResult {
  const events: RolloutEvent[] = [info(startingAnalysis(ref))];
  for (const r of results) {
    if (!r.ok) {
      events.push(warning(hooks.preRolloutFailed(ref, r.name, r.error ?? '')));
      return { events, failure: hooks.hookFailureDetail('pre-rollout', r) };
    }
    events.push(info(hooks.preRolloutPassed(r.name)));
  }
  return { events };
}

/** Rollout hooks, then metrics. Flagger emits nothing for passing rollout hooks or metrics. */
export function analysisStage(ref: CanaryRef, results: readonly HookResult[], metrics: readonly MetricVerdict[]): StageResult {
  const failedHooks = results.filter((r) => !r.ok);
  const failedMetrics = metrics.filter((m) => !m.ok && m.held !== true);
  const heldMetrics = metrics.filter((m) => m.held === true);
  const details = [...failedHooks.map((r) => hooks.hookFailureDetail('rollout', r)), ...failedMetrics.map((m) => m.detail)];
  const hook = failedHooks[0];
  if (hook !== undefined) {
    return { events: [warning(hooks.rolloutHookFailed(ref, hook.name, hook.error ?? ''))], failure: details.join('; ') };
  }
  const metric = failedMetrics[0];
  if (metric !== undefined) {
    const event = metric.level === 'error' ? error(metric.message) : warning(metric.message);
    return { events: [event], failure: details.join('; ') };
  }
  if (heldMetrics.length > 0) {
    return { events: heldMetrics.map((m) => info(m.message)), held: heldMetrics.map((m) => m.detail).join('; ') };
  }
  return { events: [] };
}

export interface GateResult {
  readonly approved: boolean;
  /** "check passed" events for each hook that said yes before any refusal. */
  readonly events: readonly RolloutEvent[];
  /** The wait warning to record when the rollout starts waiting on this gate. */
  readonly waitEvent?: RolloutEvent;
}

/** A confirm-* gate: approved when every hook says yes (no hooks: approved). */
export function confirmGate(ref: CanaryRef, gate: AnalysisGate, results: readonly HookResult[]): GateResult {
  const passed = gate === 'confirm-promotion' ? hooks.confirmPromotionPassed : hooks.confirmTrafficIncreasePassed;
  const waiting = gate === 'confirm-promotion' ? hooks.waitingForPromotion : hooks.waitingForTrafficIncrease;
  const events: RolloutEvent[] = [];
  for (const r of results) {
    if (!r.ok) return { approved: false, events, waitEvent: warning(waiting(ref, r.name)) };
    events.push(info(passed(r.name)));
  }
  return { approved: true, events };
}

/** The first rollback hook that asks for a rollback, if any. */
export function rollbackSignal(results: readonly HookResult[]): HookResult | undefined {
  return results.find((r) => r.ok);
}
