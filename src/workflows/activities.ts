// Activity proxies, one per kind of work, each with its retry policy and the reason for it.
// Workflows import activities as types only; the worker supplies the implementations.
// `summarized` adds the one-line summary the Temporal UI shows on the activity.
import { type ActivityOptions, type LocalActivityOptions, type RetryPolicy } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, patched, proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE_ERROR_TYPES } from '../activities/errors';
import { LEAN_STEPS, LONG_CALLS_QUEUE, LONG_CALLS_REMOTE } from './patches';
import { longCallsQueue } from './task-queues';

/**
 * Retried with backoff for as long as it takes: what fails here (the API server, Prometheus, a
 * conflicting writer) comes back, and a rollout step must not be lost to an outage. An error that
 * no retry can fix has a type of its own (src/activities/errors.ts) and is not retried: the workflow
 * reports it, or ends when the Canary is gone.
 */
const untilDone: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
};

/** Kubernetes, HTTPProxy and Prometheus calls as runs recorded before LEAN_STEPS made them: tasks of their own. */
// Each call is short (a Prometheus query has a 5 s deadline of its own, a Kubernetes call is one
// request), so no heartbeat: an activity lost with a killed worker is retried on another after
// 30 s, which leaves a loaded worker room to finish a slow call rather than run it twice.
const remoteOptions: ActivityOptions = { startToCloseTimeout: '30s', retry: untilDone };
const remote = proxyActivities<Activities>(remoteOptions);

/**
 * The same calls as local activities: run by the worker inside the workflow task, recorded as one
 * marker each, with no round trip through the server (a rollout step costs a third of the history
 * and the CPU). A worker that dies mid-call leaves the task to another, which runs the call again:
 * every one of them is idempotent.
 */
// Retries past the first back off on a workflow timer, not inside the workflow task: a task held
// open by an outage's retries (an apiserver away for 30 s) must be heartbeaten by the worker every
// 8 s, and a loaded worker that misses one loses the task, then runs the call again in the next:
// the rollout stalls for as long as the outage and the load last.
const LOCAL_RETRY_THRESHOLD = '1s';
const localOptions: LocalActivityOptions = { startToCloseTimeout: '30s', retry: untilDone, localRetryThreshold: LOCAL_RETRY_THRESHOLD };
const local = proxyLocalActivities<Activities>(localOptions);

/** Short calls to the cluster, the router and Prometheus: local in new runs, tasks in recorded ones. */
export function quick(): typeof remote {
  return patched(LEAN_STEPS) ? local : remote;
}

/**
 * Calls that can take long: the primary's bootstrap and promotion (several writes, copies of the
 * target's ConfigMaps and Secrets, of any size), the router's objects, a query per metrics provider.
 * Tasks of their own in new runs. As local activities they kept the workflow task open while they
 * ran; past the task's timeout the worker must heartbeat it, and a loaded worker lost the task
 * instead ("untracked local activity"), so the call ran again in the next one. They run once per
 * initialisation, spec change or promotion, not per step, so a step's history does not grow.
 *
 * In new runs they go to a queue of their own (task-queues.ts), whose worker runs a bounded number
 * at once (PERCH_LONG_CALL_SLOTS): a thousand Canaries created together wait their turn in
 * Temporal rather than all writing to the API server at once, and the workflows' own queue stays
 * free for the waits, the webhooks and the alerts.
 */
export function long(): typeof remote {
  if (!patched(LONG_CALLS_REMOTE)) return quick();
  if (!patched(LONG_CALLS_QUEUE)) return remote;
  return proxyActivities<Activities>({ ...remoteOptions, taskQueue: longCallsQueue(workflowInfo().taskQueue) });
}

/**
 * The failure a step gave up with, or undefined for anything else (a bug, a cancellation). An
 * activity task's failure arrives wrapped in an ActivityFailure; a local activity's as it was thrown.
 */
export function stepFailure(err: unknown): ApplicationFailure | ActivityFailure | undefined {
  if (err instanceof ActivityFailure) return err.cause instanceof ApplicationFailure ? err.cause : err;
  return err instanceof ApplicationFailure ? err : undefined;
}

/**
 * Calls that were always tasks of their own: the alert notifiers. Each POST has a 10 s deadline and
 * the routes go in parallel, so the 30 s of the short calls bound an attempt; no heartbeat timeout,
 * since a spurious one under load would post the alert twice, which is worse than a late alert.
 */
export const act = remote;

/**
 * Waits for a Deployment to become ready: long, watched, heartbeating (every third of the heartbeat
 * timeout) so a worker that dies mid-wait is noticed within 20 s and the wait resumes on another.
 * Not shorter: the SDK sends heartbeats at most every 0.8 x the timeout, so a 10 s timeout leaves
 * 2 s for a loaded worker and Temporal to pass one on. Retried only when its worker dies (the wait
 * itself answers "not ready" rather than failing).
 */
export const waits = proxyActivities<Activities>({ startToCloseTimeout: '2h', heartbeatTimeout: '20s', retry: untilDone });

/**
 * Webhooks apply Flagger's timeout and retries themselves; Temporal retries only a call lost with
 * its worker (they heartbeat, so that is noticed within seconds), at most three times so a hook
 * that crashes the worker cannot stall the rollout for good.
 */
export const hooks = proxyActivities<Activities>({
  startToCloseTimeout: '15m',
  heartbeatTimeout: '10s',
  retry: { ...untilDone, maximumAttempts: 3 },
});

/**
 * Event webhooks in new runs: posted by the worker inside the workflow task. A failing hook is
 * logged, never thrown; three attempts bound a call lost with its worker. Flagger posts them
 * without retries at all.
 */
export const eventHooks = proxyLocalActivities<Activities>({
  startToCloseTimeout: '2m',
  retry: { ...untilDone, maximumAttempts: 3 },
  localRetryThreshold: LOCAL_RETRY_THRESHOLD,
});

interface WithOptions<A extends unknown[], R> {
  executeWithOptions(options: { summary: string }, args: A): Promise<R>;
}

/** Calls `fn` with a summary line for the UI, on top of its proxy's options. */
export function summarized<A extends unknown[], R>(fn: WithOptions<A, R>, summary: string, ...args: A): Promise<R> {
  // The UI truncates long summaries anyway; keep them one readable line.
  return fn.executeWithOptions({ summary: summary.length > 150 ? `${summary.slice(0, 147)}...` : summary }, args);
}
