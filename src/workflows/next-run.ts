// Continue-as-new, the one way a canary workflow keeps its history short: after each rollout, and
// during a long one (a week's wait for approval analyses every interval) once history grows.
import { makeContinueAsNewFunc, workflowInfo } from '@temporalio/workflow';
import { type AnalysisState } from '../rollout/analysis';
import { type CanaryRef } from '../rollout/names';
import { type Aftermath, type CanaryState, type CheckRecord, initialState } from './state';
import { searchAttributes } from './search-attributes';

/** Well under the server's 10,240-event warning, and a few hundred intervals of analysis. */
export const HISTORY_LIMIT = 2_000;

/** A rollout carried into the next run: its state, and a change notice not yet looked at. */
export interface CarriedRollout {
  state: CanaryState;
  changed: boolean;
}

/** How runs before the one-state workflow carried a rollout; still read, never written. */
interface EarlierResume {
  target: { revision: string; trackedConfigs: Record<string, string> };
  state: AnalysisState;
  startedAt: string;
  paused: boolean;
  changed: boolean;
  checks: Record<string, CheckRecord>;
}

export interface CanaryWorkflowInput {
  namespace: string;
  name: string;
  /** Set when a rollout continues in a new run. */
  resume?: CarriedRollout | EarlierResume;
  /** What the last rollout left (its record, checks and last Event), so every run can show it. */
  after?: Aftermath;
}

/** The state a run starts from: the carried rollout's, else a fresh one. */
export function startingState(input: CanaryWorkflowInput): CarriedRollout {
  const ref: CanaryRef = { namespace: input.namespace, name: input.name, targetName: '' };
  const fresh = initialState(ref, input.after);
  const r = input.resume;
  if (r === undefined) return { state: fresh, changed: false };
  if ('target' in r) {
    return {
      state: {
        ...fresh,
        applied: r.target,
        analysis: r.state,
        rolloutStartedAt: r.startedAt,
        checks: r.checks,
        paused: r.paused,
        phase: r.state.phase,
      },
      changed: r.changed,
    };
  }
  // Event numbers count per run: the run ID keeps their keys apart.
  return { state: { ...r.state, eventCount: 0 }, changed: r.changed };
}

export function historyIsLong(): boolean {
  const info = workflowInfo();
  return info.historyLength > HISTORY_LIMIT || info.continueAsNewSuggested;
}

/**
 * Starts the next run. The memo (one run's rollout record) and the outcome search attribute
 * describe the run that carried the rollout, so they do not carry over; the rest does.
 */
export function nextRun(input: CanaryWorkflowInput): Promise<never> {
  const attributes = workflowInfo().typedSearchAttributes.updateCopy([{ key: searchAttributes.outcome, value: null }]);
  return makeContinueAsNewFunc<(i: CanaryWorkflowInput) => Promise<void>>({ memo: {}, typedSearchAttributes: attributes })(input);
}
