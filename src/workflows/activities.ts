// Activity proxies with explicit timeouts, one per kind of work. Workflows import activities as
// types only; the worker supplies the implementations. `summarized` adds a one-line summary that
// the Temporal UI shows on the activity in the event history.
import { type ActivityOptions, type RetryPolicy } from '@temporalio/common';
import { type ActivityFunctionWithOptions, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const retry: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  // Errors no retry can fix: they are reported on the Canary instead of retried in a hot loop.
  nonRetryableErrorTypes: ['InvalidTarget', 'InvalidCanary', 'InvalidQuery'],
};

/** Reads and writes against the Kubernetes API, Prometheus and the router: short and retried. */
// Short, so an activity lost with a killed worker is retried on another soon.
export const actOptions: ActivityOptions = { startToCloseTimeout: '30s', retry };
export const act = proxyActivities<Activities>(actOptions);

/** Waits for a Deployment to become ready: long, watched, heartbeating so a dead worker is noticed. */
export const waitOptions: ActivityOptions = { startToCloseTimeout: '2h', heartbeatTimeout: '20s', retry };
export const waits = proxyActivities<Activities>(waitOptions);

/** Webhooks apply their own timeout and retries (Flagger's rules); Temporal retries only a lost worker's call. */
// They heartbeat while waiting, so a call lost with its worker is retried within seconds.
export const hookOptions: ActivityOptions = { startToCloseTimeout: '15m', heartbeatTimeout: '10s', retry: { ...retry, maximumAttempts: 3 } };
export const hooks = proxyActivities<Activities>(hookOptions);

/** Calls `fn` with its proxy's options plus a summary line for the UI. */
export function summarized<A extends unknown[], R>(
  fn: ActivityFunctionWithOptions<(...args: A) => Promise<R>>, options: ActivityOptions, summary: string, ...args: A
): Promise<R> {
  // The UI truncates long summaries anyway; keep them one readable line.
  return fn.executeWithOptions({ ...options, summary: summary.length > 150 ? `${summary.slice(0, 147)}...` : summary }, args);
}
