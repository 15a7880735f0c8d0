// What the world sees of a Canary's workflow, each a pure function of its one state (state.ts):
// the `state` query's answer (`perch status`, the demo, tests), the Temporal UI's current details and
// the search attributes.
import { type CanaryPhase, type CanaryStatus, PROMOTED_CONDITION } from '../api/canary';
import { type CanaryState, type CheckRecord, type Gate, type RolloutRecord, type ShownStatus } from './state';
import { renderDetails } from '../rollout/details';
import { canaryId } from '../rollout/names';

/** The `state` query's answer. */
export interface RolloutView {
  phase: CanaryPhase;
  revision?: string;
  canaryWeight: number;
  iterations: number;
  failedChecks: number;
  paused: boolean;
  /** The last result of every check in this rollout, by name. */
  checks: Record<string, CheckRecord>;
  lastEvent?: string;
  /** The gate the rollout waits at for approval, if any. */
  waitingFor?: Gate;
  /** metadata.generation of the Canary spec the workflow acts on. */
  generation?: number;
  /** When the rollout under way began: its Events carry it (annotation perch.dev/rollout). */
  rolloutStartedAt?: string;
  /** The last rollout that ended. */
  lastRollout?: RolloutRecord;
}

export function queryView(s: CanaryState): RolloutView {
  return {
    ...s.shown,
    paused: s.paused,
    checks: { ...s.checks },
    ...(s.lastEvent !== undefined && { lastEvent: s.lastEvent }),
    ...(s.gate !== undefined && { waitingFor: s.gate }),
    ...(s.generation !== undefined && { generation: s.generation }),
    ...(s.rolloutStartedAt !== undefined && { rolloutStartedAt: s.rolloutStartedAt }),
    ...(s.lastRollout !== undefined && { lastRollout: s.lastRollout }),
  };
}

/** The Markdown the Temporal UI shows as the run's current details. */
export function detailsOf(s: CanaryState): string {
  const { phase, canaryWeight, iterations, failedChecks, revision } = s.shown;
  return renderDetails(
    {
      canary: canaryId(s.canary),
      phase,
      canaryWeight,
      iterations,
      failedChecks,
      paused: s.paused,
      revision,
      waitingFor: s.gate,
    },
    s.steps,
  );
}

/** The values of the search attributes that follow a rollout: phase, weight and revision as shown. */
export interface IndexedValues {
  phase?: string;
  weight: number;
  revision?: string;
}

export function indexedValues(s: CanaryState): IndexedValues {
  const { phase, canaryWeight, revision } = s.shown;
  return { ...(phase !== '' && { phase }), weight: canaryWeight, ...(revision !== undefined && { revision }) };
}

/** The Canary's status as the state has it: what the workflow writes. */
export function statusOf(s: CanaryState, now: string): Partial<CanaryStatus> {
  const { analysis } = s;
  return {
    phase: s.phase,
    canaryWeight: analysis.canaryWeight,
    failedChecks: analysis.failedChecks,
    iterations: analysis.iteration,
    ...(s.applied !== undefined && { lastAppliedSpec: s.applied.revision, trackedConfigs: s.applied.trackedConfigs }),
    ...(s.promoted !== undefined && { lastPromotedSpec: s.promoted }),
    ...(s.generation !== undefined && { observedGeneration: s.generation }),
    ...(s.problem !== undefined && {
      conditions: [
        { type: PROMOTED_CONDITION, status: 'False', reason: 'Invalid', message: s.problem, lastUpdateTime: now, lastTransitionTime: now },
      ],
    }),
  };
}

/** What the query and the UI show once `status` is written. */
export function shownOf(status: Partial<CanaryStatus>, before: ShownStatus): ShownStatus {
  return {
    phase: status.phase ?? before.phase,
    canaryWeight: status.canaryWeight ?? before.canaryWeight,
    iterations: status.iterations ?? before.iterations,
    failedChecks: status.failedChecks ?? before.failedChecks,
    ...((status.lastAppliedSpec ?? before.revision) !== undefined && { revision: status.lastAppliedSpec ?? before.revision }),
  };
}
