// The messages a canary workflow answers, defined once for the workflow, the watcher and the CLI.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { type RolloutView } from './projections';

/**
 * Something the Canary depends on changed (its spec, target, or tracked configs): look again. The
 * watcher adds what it saw: the Canary's metadata.generation and the target's revision ('' when
 * the target does not exist); both are absent when the Canary is gone, or sent by hand.
 */
export const reconcileSignal = defineSignal<[{ reason: string; generation?: number; revision?: string }]>('reconcile');
/** Hold the analysis where it is; no weight moves and no check counts until `resume`. */
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
/** Roll the running analysis back now. */
export const abortSignal = defineSignal('abort');
/** Finish the running analysis now: promote without the remaining steps. */
export const promoteSignal = defineSignal('promote');
/**
 * Approve the gate the rollout waits at (confirm-rollout, confirm-traffic-increase or
 * confirm-promotion) once, as if its webhooks had answered yes; an alternative to a gate URL.
 */
export const approveSignal = defineSignal('approve');
/** Roll out the current revision again after it failed, without editing the Deployment. */
export const retrySignal = defineSignal('retry');

export type { CheckRecord, RolloutRecord } from './state';
export type { RolloutView } from './projections';

/** The memo key of a run that carried a rollout: its RolloutRecord. */
export const ROLLOUT_MEMO_KEY = 'rollout';

export const stateQuery = defineQuery<RolloutView>('state');

/** One workflow per Canary: every watcher derives the same ID, so a repeated start is harmless. */
export function canaryWorkflowId(namespace: string, name: string): string {
  return `canary/${namespace}/${name}`;
}

export const TASK_QUEUE = 'perch';
