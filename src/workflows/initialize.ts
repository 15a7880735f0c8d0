// Taking a Canary in hand: the primary Deployment, its configs and autoscaler, the Services and the
// HTTPProxy; once the primary is ready, the target scales to zero and the Canary is Initialized.
import { patched } from '@temporalio/workflow';
import { initialized, phaseSet, type TargetRevision } from './state';
import * as msg from '../rollout/messages';
import { long, quick, summarized, waits } from './activities';
import { PROVIDER_CHECK } from './patches';
import { type CanaryRecord } from './record';

/** True once Initialized; false while the primary is not ready (the Canary stays Initializing). */
export async function initialize(record: CanaryRecord, canaryUid: string, target: TargetRevision): Promise<boolean> {
  const { settings } = record;
  record.update(phaseSet, 'Initializing');
  await record.writeStatus();
  // Flagger's first step: are the metrics backends there? Said either way; not a reason to stop.
  if (!settings.skipAnalysis && patched(PROVIDER_CHECK)) {
    const problem = await summarized(long().checkMetricProviders, 'Check the metrics providers', { settings });
    await record.event(problem === undefined ? msg.info(msg.metricProvidersAvailable()) : msg.warning(msg.metricProvidersError(problem)));
  }
  await long().initializePrimary({ settings, canaryUid });
  await long().reconcileRouter({ settings, canaryUid });
  const ready = await waits.waitForReady({
    namespace: settings.namespace,
    name: `${settings.targetRef.name}-primary`,
    readyThreshold: settings.analysis.primaryReadyThreshold,
    timeoutMs: settings.progressDeadlineSeconds * 1000,
  });
  if (!ready.ready) {
    await record.event(msg.warning(msg.primaryNotReady(record.ref, ready.message)));
    return false;
  }
  await quick().scaleDeployment({ namespace: settings.namespace, name: settings.targetRef.name, replicas: 0 });
  record.update(initialized, target);
  await record.writeStatus();
  await record.event(msg.info(msg.initialized(record.ref)));
  return true;
}
