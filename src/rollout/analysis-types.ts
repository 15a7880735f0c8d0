// The vocabulary of the per-interval decision (analysis.ts): what the workflow tells it about an
// interval, what it answers, and the little state the workflow keeps between intervals.
import { type HookCall } from './hook-messages';
import { type RolloutAlert, type RolloutEvent } from './messages';
import { type CanaryRef } from './names';
import { type Strategy, type WeightSpec } from './steps';
import { type MetricVerdict } from './verdict';

export interface AnalysisConfig {
  readonly canary: CanaryRef;
  readonly strategy: Strategy;
  /** Used by the canary strategy. */
  readonly weights: WeightSpec;
  /** Used by A/B testing and blue/green. */
  readonly iterations: number;
  /** Failed checks that end the rollout; values below 1 mean 1, Flagger's default. */
  readonly threshold: number;
  /** Look at the canary's and the primary's readiness every interval before analysing (Flagger does). */
  readonly readinessEachInterval?: boolean;
  /** Promote at the next interval without analysis (skipAnalysis set during a rollout). */
  readonly skipAnalysis?: boolean;
  /**
   * `analysis.mirror`: the canary first gets a copy of the primary's requests, for one analysed
   * interval before its first weight step (canary strategy) or for all iterations (blue/green).
   */
  readonly mirror?: boolean;
}

export type AnalysisPhase = 'Progressing' | 'WaitingPromotion';

export interface AnalysisState {
  readonly phase: AnalysisPhase;
  /** Canary weight routed now (canary strategy), 100 after the blue/green switch, else 0. */
  readonly canaryWeight: number;
  /** Iterations announced so far (A/B, blue/green); N+1 once blue/green has switched to the canary. */
  readonly iteration: number;
  /** Never decreases within a run, as in Flagger. */
  readonly failedChecks: number;
  /** Once passed, pre-rollout hooks do not run again in this run (Flagger re-runs them at weight 0). */
  readonly preRolloutPassed: boolean;
  readonly awaitingTrafficIncrease: boolean;
  readonly suspended: boolean;
  /** Detail of the most recent failed check, for the rollback's explanation. */
  readonly lastFailure?: string;
  /** The router mirrors the primary's requests to the canary now. */
  readonly mirrored?: boolean;
}

/**
 * The canary is being analysed: it has traffic (a weight, an A/B or blue/green iteration) or a
 * mirror of it. Before that there is nothing to measure and no rollout hook to run.
 */
export function analysing(state: AnalysisState): boolean {
  return state.canaryWeight > 0 || state.iteration > 0 || state.mirrored === true;
}

export const initialAnalysisState: AnalysisState = {
  phase: 'Progressing',
  canaryWeight: 0,
  iteration: 0,
  failedChecks: 0,
  preRolloutPassed: false,
  awaitingTrafficIncrease: false,
  suspended: false,
};

/** A webhook's outcome. For rollback hooks `ok` means "this hook asks for a rollback". */
export interface HookResult extends HookCall {
  readonly ok: boolean;
}

/** One readiness observation of a Deployment (the canary or the primary), with Flagger's texts. */
export interface ReadinessReport {
  readonly ready: boolean;
  /** Why not, in Flagger's words ("waiting for rollout to finish: ..."). */
  readonly message: string;
  /** Waiting longer cannot help: the progress deadline has passed. */
  readonly deadlineExceeded: boolean;
}

/** Signals from users: freeze the analysis, end it with a rollback, or promote now. */
export type Control = 'pause' | 'abort' | 'promote';

/**
 * Everything known about one interval. Fields are filled in on demand: when decide() needs one it
 * answers { kind: 'run', need } and the workflow runs that step, adds its result and asks again.
 * Each hook list holds results in spec order, up to and including the first failure.
 */
export interface IntervalInput {
  readonly control?: Control;
  /** The canary's readiness error once progressDeadlineSeconds has passed. */
  readonly progressDeadlineExceeded?: string;
  /** Why the Canary's current spec cannot be acted on: the analysis holds until it can. */
  readonly problem?: string;
  readonly readiness?: { readonly canary: ReadinessReport; readonly primary: ReadinessReport };
  readonly rollbackHooks?: readonly HookResult[];
  readonly preRollout?: readonly HookResult[];
  readonly analysis?: { readonly hooks: readonly HookResult[]; readonly metrics: readonly MetricVerdict[] };
  readonly trafficIncrease?: readonly HookResult[];
  readonly promotion?: readonly HookResult[];
}

export type Need = 'readiness' | 'rollback-hooks' | 'pre-rollout' | 'analysis' | 'confirm-traffic-increase' | 'confirm-promotion';

/** The confirm-* gates a rollout can wait at for approval; decide() meets the last two. */
export type Gate = 'confirm-rollout' | 'confirm-traffic-increase' | 'confirm-promotion';
export type AnalysisGate = Exclude<Gate, 'confirm-rollout'>;

/** Weights for the router: the weighted route, or the header-match route under A/B testing. */
export interface Routes {
  readonly primary: number;
  readonly canary: number;
  /** The canary (at weight 0) also receives a copy of the primary's requests. */
  readonly mirror?: boolean;
}

export type RollbackReason =
  | { readonly kind: 'failed-checks'; readonly failedChecks: number }
  | { readonly kind: 'rollback-webhook'; readonly hook: string }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'progress-deadline'; readonly error: string }
  | { readonly kind: 'primary-not-ready'; readonly error: string }
  | { readonly kind: 'no-plan'; readonly problem: string };

interface Outcome {
  /** The state to keep for the next interval (or to project into the Canary's status). */
  readonly state: AnalysisState;
  /** Events to record, in order; texts are Flagger's where Flagger has one. */
  readonly events: readonly RolloutEvent[];
  readonly alerts: readonly RolloutAlert[];
}

export type Decision =
  | { readonly kind: 'run'; readonly need: Need }
  | ({ readonly kind: 'paused' } & Outcome)
  /** Traffic moves on: state holds the new weight or iteration; routes is set when the router must change. */
  | ({ readonly kind: 'advance'; readonly routes?: Routes } & Outcome)
  /** Nothing moves: a check failed (and was counted), a metric had no data under noData: hold, the
   * canary or the primary is not ready, or the spec cannot be acted on. */
  | ({ readonly kind: 'hold'; readonly detail: string } & Outcome)
  /** Checks passed but a confirm-* gate said no; not a failed check. `entered` is true the first time. */
  | ({ readonly kind: 'await-approval'; readonly gate: AnalysisGate; readonly entered: boolean } & Outcome)
  /** Terminal: route everything to the primary, scale the canary down, mark Failed. */
  | ({ readonly kind: 'rollback'; readonly reason: RollbackReason; readonly detail: string } & Outcome)
  /** Terminal: copy the canary's spec to the primary, then return traffic to it. `skipped`: without analysis. */
  | ({ readonly kind: 'promote'; readonly requested: boolean; readonly skipped?: boolean } & Outcome);
