// Flagger's Kubernetes Event and log texts for the rollout lifecycle, reproduced exactly: users
// grep for them, alert on them and compare them with Flagger's documentation. Webhook and metric
// texts live in hook-messages.ts and metric-messages.ts and are re-exported here, so callers have
// one place to import every text from.
import { type CanaryRef, canaryId, primaryId, targetId } from './names';

export * from './hook-messages';
export * from './metric-messages';
export { type CanaryRef, canaryId, primaryId, targetId } from './names';

/** Flagger logs "error" events at error level; Kubernetes knows only Normal and Warning. */
export type EventLevel = 'info' | 'warning' | 'error';

export interface RolloutEvent {
  readonly level: EventLevel;
  readonly message: string;
}

export const info = (message: string): RolloutEvent => ({ level: 'info', message });
export const warning = (message: string): RolloutEvent => ({ level: 'warning', message });
export const error = (message: string): RolloutEvent => ({ level: 'error', message });

/** The Kubernetes Event type for a level (every Flagger event has reason "Synced"). */
export const eventType = (level: EventLevel): 'Normal' | 'Warning' => (level === 'info' ? 'Normal' : 'Warning');

// --- lifecycle --------------------------------------------------------------------------------

export const suspended = (): string => 'skipping canary run as object is suspended';
export const metricProvidersAvailable = (): string => 'all the metrics providers are available!';
export const metricProvidersError = (err: string): string => `Error checking metric providers: ${err}`;
export const initialized = (ref: CanaryRef): string => `Initialization done! ${canaryId(ref)}`;
export const newRevision = (ref: CanaryRef): string => `New revision detected! Scaling up ${targetId(ref)}`;
export const restartingAnalysis = (ref: CanaryRef): string => `New revision detected! Restarting analysis for ${targetId(ref)}`;
export const startingAnalysis = (ref: CanaryRef): string => `Starting canary analysis for ${targetId(ref)}`;
export const terminating = (ref: CanaryRef): string => `Terminating canary ${canaryId(ref)}`;
/** Perch only: the target was set back to what the primary runs (Flagger starts nothing, silently). */
export const backToPromoted = (ref: CanaryRef): string => `No analysis needed: ${targetId(ref)} is back at the revision ${primaryId(ref)} runs`;
/** Perch only: taken over from another controller (Flagger) with the target already promoted. */
export const adopted = (ref: CanaryRef): string =>
  `Adopted ${canaryId(ref)}: ${primaryId(ref)} already runs the revision of ${targetId(ref)}, no analysis needed`;
/** Perch only: a spec edit changed the strategy of the analysis under way. */
export const strategyChanged = (ref: CanaryRef, strategy: string): string =>
  `Analysis strategy of ${canaryId(ref)} changed to ${strategy}: restarting analysis for ${targetId(ref)}`;
export const terminated = (ref: CanaryRef): string => `Terminated canary ${canaryId(ref)}`;
/** Perch's own text: Flagger only logs the error and tries again. */
export const terminationWaits = (ref: CanaryRef, reason: string): string =>
  `Terminating canary ${canaryId(ref)} waits: ${targetId(ref)} not ready: ${reason}; ${primaryId(ref)} keeps serving until it is`;

/** Log line (not an Event) when the target is scaled to zero during initialisation. */
export const scalingDown = (kind: string, ref: CanaryRef): string => `Scaling down ${kind} ${targetId(ref)}`;
export const scaleDownFailed = (kind: string, ref: CanaryRef, err: string): string => `scaling down canary ${kind} ${targetId(ref)} failed: ${err}`;
/** Log line when two Canaries manage the same target. */
export const duplicateTarget = (ref: CanaryRef): string => `Bad things will happen! Found more than one canary with the same target ${targetId(ref)}`;

// --- traffic ----------------------------------------------------------------------------------

export const advanceWeight = (ref: CanaryRef, weight: number): string => `Advance ${canaryId(ref)} canary weight ${weight}`;
export const advanceIteration = (ref: CanaryRef, iteration: number, of: number): string =>
  `Advance ${canaryId(ref)} canary iteration ${iteration}/${of}`;
export const advancePrimaryWeight = (ref: CanaryRef, weight: number): string => `Advance ${canaryId(ref)} primary weight ${weight}`;
export const routingAllToCanary = (): string => 'Routing all traffic to canary';
export const stopMirroringRouteToCanary = (): string => 'Stop traffic mirroring and route all traffic to canary';
export const routingAllToPrimary = (): string => 'Routing all traffic to primary';

// --- promotion --------------------------------------------------------------------------------

export const copyingSpec = (ref: CanaryRef): string => `Copying ${targetId(ref)} template spec to ${primaryId(ref)}`;
export const promotionCompleted = (ref: CanaryRef): string => `Promotion completed! Scaling down ${targetId(ref)}`;
export const promotionSkippedAnalysis = (ref: CanaryRef): string => `Promotion completed! Canary analysis was skipped for ${targetId(ref)}`;
export const promotionFailed = (ref: CanaryRef, err: string): string => `Promotion of ${targetId(ref)} failed, primary not ready: ${err}`;
/** Perch only: a user promoted by signal before the analysis finished. */
export const promotionRequested = (ref: CanaryRef): string => `Promotion of ${canaryId(ref)} requested, skipping the remaining analysis`;

// --- rollback ---------------------------------------------------------------------------------

export const rollingBackThreshold = (ref: CanaryRef, failedChecks: number): string =>
  `Rolling back ${canaryId(ref)} failed checks threshold reached ${failedChecks}`;
export const rollingBackManualWebhook = (ref: CanaryRef): string => `Rolling back ${canaryId(ref)} manual webhook invoked`;
export const rollingBackProgressDeadline = (ref: CanaryRef, err: string): string => `Rolling back ${canaryId(ref)} progress deadline exceeded ${err}`;
/** Perch only: a user aborted by signal. */
export const rollingBackAborted = (ref: CanaryRef): string => `Rolling back ${canaryId(ref)} abort requested`;
/** Perch only: the analysis spec gives no way forward (no positive step, no iterations). */
export const rollingBackInvalidAnalysis = (ref: CanaryRef, problem: string): string => `Rolling back ${canaryId(ref)} invalid analysis: ${problem}`;
export const canaryFailed = (ref: CanaryRef): string => `Canary failed! Scaling down ${canaryId(ref)}`;

/** What "Canary failed!" leaves unsaid: why, and what the last failing check measured. */
export function rollbackDetail(failedChecks: number, threshold: number, lastFailure: string | undefined): string {
  const counted = `${failedChecks} of ${threshold} allowed failed checks`;
  return lastFailure === undefined ? counted : `${counted}; last failure: ${lastFailure}`;
}

// --- readiness --------------------------------------------------------------------------------

export const canaryNotReady = (ref: CanaryRef, reason: string): string => `canary deployment ${targetId(ref)} not ready: ${reason}`;
export const primaryNotReady = (ref: CanaryRef, reason: string): string => `${primaryId(ref)} not ready: ${reason}`;
export const generationNotObserved = (): string => 'waiting for rollout to finish: observed deployment generation less than desired generation';
export const progressDeadlineExceeded = (deployment: string): string => `deployment ${JSON.stringify(deployment)} exceeded its progress deadline`;
export const replicasNotUpdated = (updated: number, desired: number): string =>
  `waiting for rollout to finish: ${updated} out of ${desired} new replicas have been updated`;
export const oldReplicasPending = (pending: number): string => `waiting for rollout to finish: ${pending} old replicas are pending termination`;
export const daemonSetGenerationNotObserved = (): string =>
  'waiting for rollout to finish: observed daemonset generation less than desired generation';
export const podsNotUpdated = (updated: number, desired: number): string =>
  `waiting for rollout to finish: ${updated} out of ${desired} new pods have been updated`;
export const podsNotAvailable = (available: number, desired: number): string =>
  `waiting for rollout to finish: ${available} of ${desired} updated pods are available`;
export const replicasNotAvailable = (available: number, required: number, readyThresholdPercent: number): string =>
  `waiting for rollout to finish: ${available} of ${required} (readyThreshold ${readyThresholdPercent}%) updated replicas are available`;
/**
 * The wording of Flagger's documentation transcripts ("Waiting for podinfo-primary.test rollout to
 * finish: 1 of 2 updated replicas are available"); current Flagger emits the "not ready" texts above.
 */
export const rolloutWaitingDocsWording = (deploymentId: string, available: number, total: number): string =>
  `Waiting for ${deploymentId} rollout to finish: ${available} of ${total} updated replicas are available`;

// --- alerts (notifier texts, not Events) ------------------------------------------------------

export type AlertSeverity = 'info' | 'warn' | 'error';

export interface RolloutAlert {
  readonly severity: AlertSeverity;
  readonly message: string;
}

export const alerts = {
  initialized: (kind: string): RolloutAlert => ({ severity: 'info', message: `New ${kind} detected, initialization completed.` }),
  newRevision: (): RolloutAlert => ({ severity: 'info', message: 'New revision detected, progressing canary analysis.' }),
  waitingForApproval: (): RolloutAlert => ({ severity: 'warn', message: 'Canary is waiting for approval.' }),
  waitingForTrafficIncrease: (): RolloutAlert => ({ severity: 'warn', message: 'Canary traffic increase is waiting for approval.' }),
  waitingForPromotion: (): RolloutAlert => ({ severity: 'warn', message: 'Canary promotion is waiting for approval.' }),
  manualWebhookRollback: (): RolloutAlert => ({ severity: 'warn', message: 'Rolling back manual webhook invoked' }),
  thresholdReached: (failedChecks: number): RolloutAlert => ({ severity: 'error', message: `Failed checks threshold reached ${failedChecks}` }),
  succeeded: (): RolloutAlert => ({ severity: 'info', message: 'Canary analysis completed successfully, promotion finished.' }),
  skipped: (): RolloutAlert => ({ severity: 'info', message: 'Canary analysis was skipped, promotion finished.' }),
  promotionFailed: (err: string): RolloutAlert => ({ severity: 'error', message: `Promotion failed, primary not ready: ${err}` }),
  progressDeadline: (err: string): RolloutAlert => ({ severity: 'error', message: `Progress deadline exceeded ${err}` }),
  /** Perch only. */
  aborted: (): RolloutAlert => ({ severity: 'warn', message: 'Rolling back, abort requested' }),
  /** Perch only: any other rollback (e.g. an analysis that can never promote). */
  rolledBack: (reason: string): RolloutAlert => ({ severity: 'error', message: `Rolling back: ${reason}` }),
} as const;
