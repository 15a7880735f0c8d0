// The life of one Canary, as one long-running workflow: initialise it, then roll out each new
// revision of its target as it appears. Runs until the Canary is deleted; continues as new after
// each rollout so its history stays small however many revisions come.
import { ActivityFailure, ApplicationFailure, condition, patched } from '@temporalio/workflow';
import { type CanaryStatus } from '../api/canary';
import { type CanarySettings } from '../api/canary-settings';
import * as msg from '../rollout/messages';
import { act, waits } from './activities';
import { Alerts } from './alerts';
import { Checks } from './checks';
import { confirmRollout } from './confirm-rollout';
import { Controls } from './controls';
import { type CanaryWorkflowInput, historyIsLong, nextRun } from './next-run';
import { Reporter } from './reporter';
import { revertTarget } from './revert-on-deletion';
import { Rollout } from './rollout';

export { type CanaryWorkflowInput } from './next-run';

export async function canaryWorkflow(input: CanaryWorkflowInput): Promise<void> {
  const reporter = new Reporter(input.namespace, input.name);
  const controls = new Controls(reporter.view, input.resume);
  try {
    await lifecycle(input, controls, reporter);
  } catch (err) {
    if (err instanceof CanaryDeleted) return;
    throw err;
  }
}

async function lifecycle(input: CanaryWorkflowInput, controls: Controls, reporter: Reporter): Promise<never> {
  for (;;) {
    controls.changed = false;
    try {
      await reconcile(input, controls, reporter);
    } catch (err) {
      // A step no retry can fix (a target without a selector label, a Canary deleted midway):
      // say so on the Canary, then wait for the next change rather than fail the workflow.
      if (!(err instanceof ActivityFailure)) throw err;
      const cause = err.cause instanceof ApplicationFailure ? err.cause.message : err.message;
      await reportInvalid(reporter, undefined, [cause]).catch(() => undefined);
    }
    // Nothing to do until something changes: no polling, the watcher signals.
    await condition(() => controls.changed);
    if (historyIsLong()) await nextRun({ namespace: input.namespace, name: input.name });
  }
}

/** One look at the Canary and its target, and whatever that calls for. */
async function reconcile(input: CanaryWorkflowInput, controls: Controls, reporter: Reporter): Promise<void> {
  const next = { namespace: input.namespace, name: input.name };
  for (;;) {
    // Waiting for confirm-rollout loops here every interval: start afresh once history grows.
    if (historyIsLong()) await nextRun(next);
    const loaded = await act.loadCanary(input);
    if (loaded.kind === 'missing') throw new CanaryDeleted();
    if (loaded.kind === 'invalid') return reportInvalid(reporter, loaded.status, loaded.problems);
    {
      const { settings, status } = loaded;
      if (loaded.deleting) {
        if (await revertTarget(settings, reporter, status.phase ?? '')) throw new CanaryDeleted();
        // The target is not ready yet: look again on the next change, or one deadline later.
        await lookAgainLater(controls, settings.progressDeadlineSeconds * 1000);
        continue;
      }
      if (settings.revertOnDeletion !== loaded.finalized && patched('revert-on-deletion')) {
        await act.setCanaryFinalizer({ namespace: settings.namespace, name: settings.name, present: settings.revertOnDeletion });
      }
      reporter.view.phase = status.phase ?? '';
      reporter.attach(settings, status.lastAppliedSpec ?? '');
      const target = await act.inspectTarget({ namespace: settings.namespace, name: settings.targetRef.name });
      if (!target.exists) {
        return reportInvalid(reporter, status, [`target Deployment ${settings.targetRef.name}.${settings.namespace} not found`]);
      }
      if (!isInitialized(status)) {
        if (await initialize(settings, loaded.uid, target, reporter)) {
          await new Alerts(settings, reporter).send(msg.alerts.initialized('Deployment'));
          continue;
        }
        // Stays Initializing; the next change, or one progress deadline later, tries again.
        if (patched(LOOK_AGAIN_ONCE)) await lookAgainLater(controls, settings.progressDeadlineSeconds * 1000);
        else await condition(() => controls.changed, settings.progressDeadlineSeconds * 1000);
        continue;
      }
      const alerts = new Alerts(settings, reporter);
      if (input.resume !== undefined) {
        // A rollout carried over from the previous run goes on where it stood.
        const resume = input.resume;
        input.resume = undefined;
        await new Rollout(settings, target, controls, reporter, alerts, (r) => nextRun({ ...next, resume: r }), resume).run();
        await nextRun(next);
      }
      const retry = controls.retry && status.phase === 'Failed';
      controls.retry = false;
      if (!settings.suspend && (target.revision !== status.lastAppliedSpec || retry)) {
        const checks = new Checks(settings, { name: settings.name, namespace: settings.namespace, targetName: settings.targetRef.name },
          reporter, () => target.revision, () => controls.takeApproval());
        if (!(await confirmRollout(settings, checks, controls, reporter, alerts))) continue;
        await new Rollout(settings, target, controls, reporter, alerts, (r) => nextRun({ ...next, resume: r })).run();
        // Each rollout starts a fresh run, so a Canary's history is one rollout long.
        await nextRun(next);
      }
      return;
    }
  }
}

/** Runs recorded before lookAgainLater waited on a change notice that nothing cleared. */
const LOOK_AGAIN_ONCE = 'look-again-once';

/**
 * Waits for the next change notice, or `ms`. A notice that came during the pass just made is
 * answered with one more look at once, and cleared: left set, it would end every later wait at
 * once, and a readiness check that fails at once (deadline exceeded) would then loop hot.
 */
async function lookAgainLater(controls: Controls, ms: number): Promise<void> {
  if (controls.changed) {
    controls.changed = false;
    return;
  }
  await condition(() => controls.changed, ms);
}

/** The Canary is gone: its owned objects are garbage-collected, and its workflow ends. */
class CanaryDeleted extends Error {}

function isInitialized(status: CanaryStatus): boolean {
  return status.lastAppliedSpec !== undefined && status.phase !== '' && status.phase !== 'Initializing' && status.phase !== undefined;
}

async function initialize(settings: CanarySettings, canaryUid: string, target: { revision: string; trackedConfigs: Record<string, string> }, reporter: Reporter): Promise<boolean> {
  const ref = { name: settings.name, namespace: settings.namespace, targetName: settings.targetRef.name };
  await reporter.status({ phase: 'Initializing' });
  await act.initializePrimary({ settings, canaryUid });
  await act.reconcileRouter({ settings, canaryUid });
  const primary = `${settings.targetRef.name}-primary`;
  const ready = await waits.waitForReady({
    namespace: settings.namespace, name: primary, readyThreshold: settings.analysis.primaryReadyThreshold,
    timeoutMs: settings.progressDeadlineSeconds * 1000,
  });
  if (!ready.ready) {
    // Stays Initializing: the next change, or the next look one deadline later, tries again.
    await reporter.event(msg.warning(msg.primaryNotReady(ref, ready.message)));
    return false;
  }
  await act.scaleDeployment({ namespace: settings.namespace, name: settings.targetRef.name, replicas: 0 });
  await reporter.status({
    phase: 'Initialized', lastAppliedSpec: target.revision, lastPromotedSpec: target.revision,
    trackedConfigs: target.trackedConfigs, canaryWeight: 0, failedChecks: 0, iterations: 0,
  });
  await reporter.event(msg.info(msg.initialized(ref)));
  return true;
}

async function reportInvalid(reporter: Reporter, status: CanaryStatus | undefined, problems: string[]): Promise<void> {
  const text = `Canary is invalid: ${problems.join('; ')}`;
  if (reporter.view.lastEvent === text) return;
  await reporter.event(msg.warning(text));
  // A Canary that never initialised is marked Failed; one that did keeps its phase (its primary
  // still serves) and carries the problem in its Promoted condition.
  const phase = status?.phase === undefined || status.phase === '' ? 'Failed' : status.phase;
  const now = new Date(Date.now()).toISOString();
  await reporter.status({ phase, conditions: [{ type: 'Promoted', status: 'False', reason: 'Invalid', message: text, lastUpdateTime: now, lastTransitionTime: now }] });
}
