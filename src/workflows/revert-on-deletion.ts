// revertOnDeletion: before the Canary (and with it the primary) goes, the target serves again at
// the primary's scale and a Service that was the user's before the Canary selects the target's
// pods again; then the finalizer is lifted and garbage collection does the rest.
import { patched } from '@temporalio/workflow';
import { type CanarySettings } from '../api/canary-settings';
import * as msg from '../rollout/messages';
import { act, actOptions, summarized, waits } from './activities';
import { type Reporter } from './reporter';

/** Runs recorded before these steps lifted the finalizer whether or not the target was ready. */
const REVERT_WHEN_READY = 'revert-when-ready';

/**
 * Answers true once the finalizer is lifted. False while the target is not ready: the finalizer
 * stays (so the primary keeps serving, as in Flagger) and the caller looks again later.
 */
export async function revertTarget(settings: CanarySettings, reporter: Reporter, phase: string): Promise<boolean> {
  const ref = { name: settings.name, namespace: settings.namespace, targetName: settings.targetRef.name };
  const target = { namespace: settings.namespace, name: settings.targetRef.name };
  const again = phase === 'Terminating' && patched(REVERT_WHEN_READY);
  if (!again) {
    await reporter.status({ phase: 'Terminating' });
    await reporter.event(msg.info(msg.terminating(ref)));
  }
  await act.scaleDeployment({ ...target, replicas: await act.canaryReplicas({ settings }) });
  const ready = await waits.waitForReady({ ...target, readyThreshold: settings.analysis.canaryReadyThreshold, timeoutMs: settings.progressDeadlineSeconds * 1000 });
  if (patched(REVERT_WHEN_READY)) {
    if (!ready.ready) {
      await reporter.event(msg.warning(msg.terminationWaits(ref, ready.message)));
      return false;
    }
    await summarized(act.revertApexService, actOptions, `Point Service ${settings.service.apexName} back at ${target.name}`, { settings });
  }
  await reporter.event(msg.info(msg.terminated(ref)));
  await act.setCanaryFinalizer({ namespace: settings.namespace, name: settings.name, present: false });
  return true;
}
