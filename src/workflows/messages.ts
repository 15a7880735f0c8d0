// The messages a canary workflow answers, defined once for the workflow, the watcher and the CLI.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { type CanaryPhase } from '../api/canary';

/** Something the Canary depends on changed (its spec, target, or tracked configs): look again. */
export const reconcileSignal = defineSignal<[{ reason: string }]>('reconcile');
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

export interface RolloutView {
  phase: CanaryPhase;
  revision?: string;
  canaryWeight: number;
  iterations: number;
  failedChecks: number;
  paused: boolean;
  /** The last result of every check, by name. */
  checks: Record<string, CheckRecord>;
  lastEvent?: string;
  /** The gate the rollout waits at for approval, if any. */
  waitingFor?: 'confirm-rollout' | 'confirm-traffic-increase' | 'confirm-promotion';
}

/**
 * One finished rollout, kept in the memo (key `rollout`) of the workflow run that carried it: each
 * rollout ends its run with continue-as-new, so listing a canary's runs lists its rollouts.
 */
export interface RolloutRecord {
  revision: string;
  outcome: 'Succeeded' | 'Failed';
  /** Why it failed: the failing check or the abort, in the words of the rollback Event. */
  reason?: string;
  strategy: 'canary' | 'ab-testing' | 'blue-green';
  startedAt: string;
  finishedAt: string;
}

export const ROLLOUT_MEMO_KEY = 'rollout';

export const stateQuery = defineQuery<RolloutView>('state');

/** One workflow per Canary: every watcher derives the same ID, so a repeated start is harmless. */
export function canaryWorkflowId(namespace: string, name: string): string {
  return `canary/${namespace}/${name}`;
}

export const TASK_QUEUE = 'perch';
