// Every error type an activity throws on purpose, and whether a retry can help. Retrying is decided
// here, once per type, so an activity cannot throw a "not found" that Temporal retries forever in
// one place and gives up on in another. Pure: the workflow may import NON_RETRYABLE_ERROR_TYPES.
import { ApplicationFailure } from '@temporalio/common';

export const ERROR_TYPES = {
  // --- no retry can help: the workflow reports the error and waits for the next change ---------
  /** The Canary, or an object it names, cannot work as written: only an edit of it helps. */
  InvalidCanary: false,
  /** The target Deployment or its autoscaler is missing, of a kind Perch cannot manage, or lacks a selector label: only an edit helps. */
  InvalidTarget: false,
  /** Prometheus rejects the query, or answers it with a shape that is not one value: the same query gets the same answer. */
  InvalidQuery: false,
  /** Weights outside 0..100 or both zero: the caller's mistake, repeated by every retry. */
  InvalidWeights: false,
  /** The Canary is gone: nothing can be written to it any more, and its workflow should end. */
  CanaryNotFound: false,
  /** The HTTPProxy is gone (collected with its deleted Canary, or deleted by hand): only reconcileRouter creates it, so setting or reading weights cannot pass on a retry. */
  RouterNotFound: false,
  /** The HTTPProxy exists but none of its routes carries the Canary's primary and canary Services: someone rewrote it, and reconcileRouter must restore it. */
  RoutesNotFound: false,

  // --- a retry may help: Temporal retries with backoff ---------------------------------------------
  /** A Kubernetes call failed for a reason that may pass: the API server unreachable or overloaded, RBAC being fixed. */
  KubernetesUnavailable: true,
  /** Concurrent writers changed the object between every read and write of one attempt; the next attempt reads afresh. */
  WriteConflict: true,
  /** Prometheus could not be reached, or did not answer in time. */
  PrometheusUnavailable: true,
  /** Prometheus (or a proxy in front of it) answered an error other than a rejected query. */
  QueryFailed: true,
} as const satisfies Record<string, boolean>;

export type ErrorType = keyof typeof ERROR_TYPES;

/** For the workflow's retry policies: the types no retry can fix. */
export const NON_RETRYABLE_ERROR_TYPES: readonly ErrorType[] = (Object.keys(ERROR_TYPES) as ErrorType[]).filter((t) => !ERROR_TYPES[t]);

/** An ApplicationFailure of `type`, retryable exactly when the table above says so. */
export function failure(type: ErrorType, message: string, ...details: unknown[]): ApplicationFailure {
  return ERROR_TYPES[type] ? ApplicationFailure.retryable(message, type, ...details) : ApplicationFailure.nonRetryable(message, type, ...details);
}
