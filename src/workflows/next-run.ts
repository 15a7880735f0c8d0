// Continue-as-new, the one way a canary workflow keeps its history short: after each rollout, and
// during a long one (a week's wait for approval analyses every interval) once history grows.
import { makeContinueAsNewFunc, workflowInfo } from '@temporalio/workflow';
import { type AnalysisState } from '../rollout/analysis';
import { type CheckRecord } from './messages';
import { searchAttributes } from './search-attributes';

/** Well under the server's 10,240-event warning, and a few hundred intervals of analysis. */
export const HISTORY_LIMIT = 2_000;

/** A rollout carried into the next run: enough to go on exactly where it stood. */
export interface RolloutResume {
  target: { revision: string; trackedConfigs: Record<string, string> };
  state: AnalysisState;
  startedAt: string;
  paused: boolean;
  /** A change notice not yet looked at. */
  changed: boolean;
  checks: Record<string, CheckRecord>;
}

export interface CanaryWorkflowInput {
  namespace: string;
  name: string;
  /** Set when a rollout continues in a new run. */
  resume?: RolloutResume;
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
