// Activity proxies with explicit timeouts, one per kind of work. Workflows import activities as
// types only; the worker supplies the implementations.
import { type RetryPolicy } from '@temporalio/common';
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities';

const retry: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  // Errors no retry can fix: they are reported on the Canary instead of retried in a hot loop.
  nonRetryableErrorTypes: ['InvalidTarget', 'InvalidCanary', 'InvalidQuery'],
};

/** Reads and writes against the Kubernetes API, Prometheus and the router: short and retried. */
// Short, so an activity lost with a killed worker is retried on another soon.
export const act = proxyActivities<typeof activities>({ startToCloseTimeout: '30s', retry });

/** Waits for a Deployment to become ready: long, watched, heartbeating so a dead worker is noticed. */
export const waits = proxyActivities<typeof activities>({ startToCloseTimeout: '2h', heartbeatTimeout: '20s', retry });

/** Webhooks apply their own timeout and retries (Flagger's rules); Temporal retries only a lost worker's call. */
// They heartbeat while waiting, so a call lost with its worker is retried within seconds.
export const hooks = proxyActivities<typeof activities>({ startToCloseTimeout: '15m', heartbeatTimeout: '10s', retry: { ...retry, maximumAttempts: 3 } });
