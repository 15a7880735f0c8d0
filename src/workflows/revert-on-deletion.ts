// revertOnDeletion: before the Canary (and with it the primary) goes, the target serves again at
// the primary's scale and a Service that was the user's before the Canary selects the target's
// pods again; then the finalizer is lifted and garbage collection does the rest.
import { patched } from '@temporalio/workflow';
import { phaseSet } from './state';
import * as msg from '../rollout/messages';
import { quick, summarized, waits } from './activities';
import { REVERT_WHEN_READY } from './patches';
import { type CanaryRecord } from './record';

/**
 * Answers true once the finalizer is lifted. False while the target is not ready: the finalizer
 * stays (so the primary keeps serving, as in Flagger) and the caller looks again later.
 */
export async function revertTarget(record: CanaryRecord): Promise<boolean> {
  const { settings } = record;
  const { ref } = record;
  const target = { namespace: settings.namespace, name: settings.targetRef.name };
  const again = record.state.phase === 'Terminating' && patched(REVERT_WHEN_READY);
  if (!again) {
    record.update(phaseSet, 'Terminating');
    await record.writeStatus();
    await record.event(msg.info(msg.terminating(ref)));
  }
  await quick().scaleDeployment({ ...target, replicas: await quick().canaryReplicas({ settings }) });
  const ready = await waits.waitForReady({
    ...target,
    readyThreshold: settings.analysis.canaryReadyThreshold,
    timeoutMs: settings.progressDeadlineSeconds * 1000,
  });
  if (patched(REVERT_WHEN_READY)) {
    if (!ready.ready) {
      await record.event(msg.warning(msg.terminationWaits(ref, ready.message)));
      return false;
    }
    await summarized(quick().revertApexService, `Point Service ${settings.service.apexName} back at ${target.name}`, { settings });
  }
  await record.event(msg.info(msg.terminated(ref)));
  await quick().setCanaryFinalizer({ namespace: settings.namespace, name: settings.name, present: false });
  return true;
}
