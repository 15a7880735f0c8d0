// Every patch marker the canary workflow uses, in one place. Each guards a change to the commands the
// workflow issues: runs recorded before the change replay down the old branch (`patched()` answers
// false in their history), new runs take the new one. Remove a patch only when no recorded history
// and no running workflow predates it (docs/development.md).

/** Alerts to AlertProviders (sendAlert activities). */
export const ALERTS = 'alerts';
/** Search attributes and the memo that follow a rollout (Temporal UI, `perch list`). */
export const UI_METADATA = 'ui-metadata';
/** "Copying ... template spec" is announced once, by decide(), not again by the promotion. */
export const ANNOUNCE_COPY_ONCE = 'announce-copy-once';
/** stepWeightPromotion returns traffic to the primary one step per interval. */
export const STEP_WEIGHT_PROMOTION = 'step-weight-promotion';
/** The finalizer follows revertOnDeletion. */
export const REVERT_ON_DELETION = 'revert-on-deletion';
/** revertOnDeletion lifts the finalizer only once the target is ready. */
export const REVERT_WHEN_READY = 'revert-when-ready';
/** A change notice that came during a pass is answered with one more look, then cleared. */
export const LOOK_AGAIN_ONCE = 'look-again-once';
/** A target set back to the revision last promoted returns the Canary to Succeeded without analysis. */
export const BACK_TO_PROMOTED = 'back-to-promoted';
/** A new spec generation reconciles the Services and the HTTPProxy and is written as observedGeneration. */
export const SPEC_SYNC = 'spec-sync';
/** A failed step first looks whether the Canary is gone: a deleted Canary's workflow ends quietly. */
export const GONE_ENDS_QUIETLY = 'gone-ends-quietly';
/**
 * Short Kubernetes, router and Prometheus calls run as local activities, and a step's Events are
 * written in one call (the event webhooks in one more): a step's history and CPU shrink.
 */
export const LEAN_STEPS = 'lean-steps';
/** Finalising is written after all traffic is back on the primary, with the canary's weight at 0. */
export const FINALISING_AFTER_ROUTE = 'finalising-after-route';
/** The canary's and the primary's readiness are looked at every interval, as Flagger does. */
export const READINESS_EACH_INTERVAL = 'readiness-each-interval';
/** A change notice during a rollout reloads the Canary: spec edits apply from the next interval. */
export const LIVE_EDITS = 'live-edits';
/** Initialisation checks the metrics providers first and says so, as Flagger does. */
export const PROVIDER_CHECK = 'provider-check';
/**
 * A Canary whose primary already runs its target (Flagger promoted it, its lastAppliedSpec in
 * Flagger's hash) is adopted: Perch's revision is recorded, nothing is analysed.
 */
export const ADOPT_PROMOTED = 'adopt-promoted';
/**
 * Calls that can run long (several writes, copies of the target's ConfigMaps and Secrets, a query per
 * metrics provider) are activity tasks again, not local activities: a local one holds its workflow
 * task open for as long as it runs.
 */
export const LONG_CALLS_REMOTE = 'long-calls-remote';
/**
 * Those calls go to a task queue of their own, whose worker runs a bounded number at once: a wave of
 * new Canaries queues its writes in Temporal instead of flooding the API server.
 */
export const LONG_CALLS_QUEUE = 'long-calls-queue';
/**
 * A Canary that shows a rollout of its target under way which the workflow does not carry (the
 * workflow task that started it was lost with Temporal or the worker, after its status write) is
 * rolled out afresh, not left Progressing.
 */
export const UNFINISHED_ROLLOUT = 'unfinished-rollout';
