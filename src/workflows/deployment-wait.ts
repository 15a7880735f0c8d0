// Waiting for a Deployment (the canary after scale-up, the primary after promotion) to be ready.
import * as msg from '../rollout/messages';
import { quick, summarized, waits } from './activities';
import { type CanaryRecord } from './record';

/**
 * Waits, through a watch, until the Deployment is ready or progressDeadlineSeconds pass, and says
 * once, in the seed's words, that it is waiting. Answers the readiness error when it gave up.
 */
export async function waitForDeployment(record: CanaryRecord, name: string, readyThreshold: number): Promise<string | undefined> {
  const { settings } = record;
  const input = { namespace: settings.namespace, name, readyThreshold, progressDeadlineSeconds: settings.progressDeadlineSeconds };
  const now = await quick().deploymentReadiness(input);
  if (now.ready) return undefined;
  await record.event(msg.info(msg.rolloutWaitingDocsWording(`${name}.${settings.namespace}`, now.available, now.desired)), { reason: now.message });
  const waited = await summarized(waits.waitForReady, `Wait for ${name} to be ready`, {
    ...input,
    timeoutMs: settings.progressDeadlineSeconds * 1000,
  });
  return waited.ready ? undefined : waited.message;
}
