// The one state a Canary's workflow holds, and the named transitions that change it. Everything the
// world sees of a rollout (the `state` query, the UI's details, the search attributes, the Canary's
// status) is projected from this value (projections.ts); nothing else keeps progress. Pure (no
// Temporal import, unit tested without a server): the workflow applies these functions and never
// edits the value in place.
import { type CanaryPhase, type CanaryStatus } from '../api/canary';
import { type CanarySettings } from '../api/canary-settings';
import { type AnalysisState, type Gate, initialAnalysisState } from '../rollout/analysis-types';

export type { Gate } from '../rollout/analysis-types';
import { type DetailStep, MAX_DETAIL_STEPS } from '../rollout/details';
import { type RolloutEvent } from '../rollout/messages';
import { type CanaryRef } from '../rollout/names';

/** The last result of one check (a metric or a webhook), as `perch status` shows it. */
export interface CheckRecord {
  name: string;
  kind: 'metric' | 'webhook';
  ok: boolean;
  value?: number;
  threshold?: string;
  query?: string;
  message: string;
  at: string;
}

/** One finished rollout: what `perch history` lists and the memo of the run that carried it. */
export interface RolloutRecord {
  revision: string;
  outcome: 'Succeeded' | 'Failed';
  /** Why it failed: the failing check or the abort, in the words of the rollback Event. */
  reason?: string;
  strategy: 'canary' | 'ab-testing' | 'blue-green';
  startedAt: string;
  finishedAt: string;
}

/** The target's revision under rollout: its hash and the checksums of the configs it tracks. */
export interface TargetRevision {
  revision: string;
  trackedConfigs: Record<string, string>;
}

/** What the Canary's status shows, as the workflow last wrote it. */
export interface ShownStatus {
  phase: CanaryPhase;
  canaryWeight: number;
  iterations: number;
  failedChecks: number;
  revision?: string;
}

export interface CanaryState {
  readonly canary: CanaryRef;
  /** metadata.uid of the Canary: the owner of everything it creates. */
  readonly uid?: string;
  /** The Canary's spec with every default applied, as last loaded; what the workflow acts on. */
  readonly settings?: CanarySettings;
  /** metadata.generation of that spec (the Canary's status.observedGeneration). */
  readonly generation?: number;
  /** The phase the workflow gives the Canary. */
  readonly phase: CanaryPhase;
  /** The revision last applied (status.lastAppliedSpec and trackedConfigs): under rollout, or the last one. */
  readonly applied?: TargetRevision;
  /** The revision the primary last received (status.lastPromotedSpec). */
  readonly promoted?: string;
  /** Weight, iterations and failed checks of the rollout under way, or of the last one. */
  readonly analysis: AnalysisState;
  /** Set while a rollout is under way: when it began. */
  readonly rolloutStartedAt?: string;
  /** Workflow time (ms) the analysis counts its intervals from: interval k is due at anchor + k × interval. */
  readonly clock?: number;
  /** Why the Canary cannot be acted on, while it cannot (its Promoted condition says so). */
  readonly problem?: string;
  /** The Canary's status as last written; the query and the UI show this, never a phase not yet written. */
  readonly shown: ShownStatus;
  readonly checks: Readonly<Record<string, CheckRecord>>;
  /** The gate the rollout waits at for approval. */
  readonly gate?: Gate;
  readonly paused: boolean;
  readonly lastEvent?: string;
  /** Events reported by this run: the next one's occurrence number. */
  readonly eventCount: number;
  /** The steps the UI's details list, newest last. */
  readonly steps: readonly DetailStep[];
  /** The last rollout that ended, carried from run to run so `perch status` can show it. */
  readonly lastRollout?: RolloutRecord;
}

/** What a finished rollout leaves for the runs after it: its record, its checks, its last Event. */
export interface Aftermath {
  rollout: RolloutRecord;
  checks: Record<string, CheckRecord>;
  lastEvent?: string;
}

export function initialState(canary: CanaryRef, after?: Aftermath): CanaryState {
  return {
    canary,
    phase: '',
    shown: { phase: '', canaryWeight: 0, iterations: 0, failedChecks: 0 },
    analysis: initialAnalysisState,
    checks: { ...after?.checks },
    paused: false,
    eventCount: 0,
    steps: [],
    ...(after && { lastRollout: after.rollout }),
    ...(after?.lastEvent !== undefined && { lastEvent: after.lastEvent }),
  };
}

/** The aftermath of the last rollout, to carry into the next run; none before the first. */
export function aftermathOf(s: CanaryState): Aftermath | undefined {
  if (s.lastRollout === undefined) return undefined;
  return { rollout: s.lastRollout, checks: { ...s.checks }, ...(s.lastEvent !== undefined && { lastEvent: s.lastEvent }) };
}

/** What a read of the Canary tells the workflow; `settings` only when the Canary is valid. */
export interface LoadedCanary {
  canary: CanaryRef;
  uid?: string;
  generation?: number;
  status: CanaryStatus;
  settings?: CanarySettings;
}

/**
 * The Canary as just read from the cluster: its spec's generation and its status, which the state
 * takes over when no rollout is under way (a new run starts from what the Canary shows).
 */
export function canaryLoaded(s: CanaryState, loaded: LoadedCanary): CanaryState {
  const { status } = loaded;
  const phase = status.phase ?? '';
  const next: CanaryState = {
    ...s,
    canary: loaded.canary,
    ...(loaded.uid !== undefined && { uid: loaded.uid }),
    ...(loaded.generation !== undefined && { generation: loaded.generation }),
    ...(loaded.settings !== undefined && { settings: loaded.settings }),
  };
  if (s.rolloutStartedAt !== undefined) return next;
  const { applied: previousApplied, promoted: previousPromoted, ...rest } = next;
  return {
    ...rest,
    phase,
    ...(status.lastAppliedSpec !== undefined && { applied: { revision: status.lastAppliedSpec, trackedConfigs: { ...status.trackedConfigs } } }),
    ...(status.lastPromotedSpec !== undefined && { promoted: status.lastPromotedSpec }),
    analysis: {
      ...initialAnalysisState,
      canaryWeight: status.canaryWeight ?? 0,
      iteration: status.iterations ?? 0,
      failedChecks: status.failedChecks ?? 0,
    },
    shown: {
      phase,
      canaryWeight: status.canaryWeight ?? 0,
      iterations: status.iterations ?? 0,
      failedChecks: status.failedChecks ?? 0,
      ...(status.lastAppliedSpec !== undefined && { revision: status.lastAppliedSpec }),
    },
  };
}

/** The phase the workflow gives the Canary next. */
export function phaseSet(s: CanaryState, phase: CanaryPhase): CanaryState {
  return { ...s, phase };
}

/** The Canary (or its target) cannot be acted on; `undefined` once it can again. */
export function problemFound(s: CanaryState, problem: string | undefined): CanaryState {
  const { problem: dropped, ...rest } = s;
  return problem === undefined ? rest : { ...rest, problem };
}

/** A status write reached the Canary: the query and the UI show it from now on. */
export function statusShown(s: CanaryState, shown: ShownStatus): CanaryState {
  return { ...s, shown };
}

function withStep(s: CanaryState, step: DetailStep): DetailStep[] {
  return [...s.steps, step].slice(-MAX_DETAIL_STEPS);
}

/** An Event is about to be reported: it is the last Event, and counts in this run. */
export function eventReported(s: CanaryState, e: RolloutEvent, at: string): CanaryState {
  return { ...s, lastEvent: e.message, eventCount: s.eventCount + 1, steps: withStep(s, { at, step: e.message, result: e.level }) };
}

export function checkRecorded(s: CanaryState, r: CheckRecord): CanaryState {
  return {
    ...s,
    checks: { ...s.checks, [r.name]: r },
    steps: withStep(s, {
      at: r.at,
      step: `${r.kind} ${r.name}`,
      result: r.ok ? 'ok' : `failed: ${r.message}`,
      value: r.value === undefined ? undefined : String(r.value),
      threshold: r.threshold,
    }),
  };
}

export function waitingAt(s: CanaryState, gate: Gate | undefined): CanaryState {
  const { gate: dropped, ...rest } = s;
  return gate === undefined ? rest : { ...rest, gate };
}

export function pauseSet(s: CanaryState, paused: boolean): CanaryState {
  return { ...s, paused };
}

/** The target's current revision is the primary's: initialised, or adopted without analysis. */
export function initialized(s: CanaryState, target: TargetRevision): CanaryState {
  return { ...s, phase: 'Initialized', applied: target, promoted: target.revision, analysis: initialAnalysisState };
}

/** A new revision is about to be rolled out: the last rollout's check results no longer apply. */
export function checksCleared(s: CanaryState): CanaryState {
  return { ...s, checks: {} };
}

/** A new revision's rollout begins: fresh analysis, no gate. */
export function rolloutStarted(s: CanaryState, target: TargetRevision, startedAt: string): CanaryState {
  const { clock, ...rest } = waitingAt(s, undefined);
  return { ...rest, phase: 'Progressing', applied: target, rolloutStartedAt: startedAt, analysis: initialAnalysisState };
}

/** A newer revision replaced the one under analysis: the analysis starts over, the rollout goes on. */
export function analysisRestarted(s: CanaryState, target: TargetRevision): CanaryState {
  const { clock, ...rest } = waitingAt(s, undefined);
  return { ...rest, phase: 'Progressing', applied: target, analysis: initialAnalysisState };
}

/** The analysis counts its intervals from `at` (the canary is ready, or the analysis resumed). */
export function clockStarted(s: CanaryState, at: number): CanaryState {
  return { ...s, clock: at };
}

/** An interval of analysis decided: its counters, and its phase (Progressing or WaitingPromotion). */
export function analysisAdvanced(s: CanaryState, analysis: AnalysisState): CanaryState {
  return { ...s, analysis, phase: analysis.phase };
}

/** Traffic moved outside the analysis (promotion steps, a rollback): the canary's weight now. */
export function canaryWeightSet(s: CanaryState, canaryWeight: number): CanaryState {
  return { ...s, analysis: { ...s.analysis, canaryWeight } };
}

/** The target is back at the revision the primary runs: Succeeded, with nothing to analyse. */
export function backToPromoted(s: CanaryState, target: TargetRevision): CanaryState {
  return { ...s, phase: 'Succeeded', applied: target, analysis: initialAnalysisState };
}

/**
 * The primary already runs the target, promoted by another controller: the revision is now Perch's,
 * applied and promoted. A Failed Canary whose target was set back to its primary is Succeeded again.
 */
export function adopted(s: CanaryState, target: TargetRevision): CanaryState {
  const phase = s.phase === 'Initialized' ? 'Initialized' : 'Succeeded';
  return { ...s, phase, applied: target, promoted: target.revision, analysis: initialAnalysisState };
}

/** The primary runs the revision under rollout: Succeeded, with all traffic back on the primary. */
export function promoted(s: CanaryState): CanaryState {
  const next = { ...canaryWeightSet(s, 0), phase: 'Succeeded' as const };
  return s.applied === undefined ? next : { ...next, promoted: s.applied.revision };
}

/** The rollout ended; its record stays for `perch status` until the next one. */
export function rolloutFinished(s: CanaryState, record: RolloutRecord): CanaryState {
  const { rolloutStartedAt, clock, ...rest } = waitingAt(s, undefined);
  return { ...rest, lastRollout: record };
}
