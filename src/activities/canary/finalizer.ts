// The finalizer that holds a Canary with revertOnDeletion until its target serves again (Flagger's
// name, so a Canary Flagger finalised is recognised).
import { type Canary, CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../../api/canary';
import { type KubeClients, isNotFound, mergePatch } from '../../kubernetes/client';

export const CANARY_FINALIZER = 'finalizer.flagger.app';

export async function setCanaryFinalizer(kube: KubeClients, input: { namespace: string; name: string; present: boolean }): Promise<void> {
  const api = kube.custom;
  const at = { group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL, namespace: input.namespace, name: input.name };
  let canary: Canary;
  try {
    canary = (await api.getNamespacedCustomObject(at)) as Canary;
  } catch (err) {
    // Gone already: nothing holds it any more.
    if (isNotFound(err)) return;
    throw err;
  }
  const current = canary.metadata.finalizers ?? [];
  if (current.includes(CANARY_FINALIZER) === input.present) return;
  const finalizers = input.present ? [...current, CANARY_FINALIZER] : current.filter((f) => f !== CANARY_FINALIZER);
  // The resourceVersion makes a concurrent edit fail (and the activity retry) rather than be lost.
  await api.patchNamespacedCustomObject(
    { ...at, body: { metadata: { finalizers, resourceVersion: canary.metadata.resourceVersion } } },
    mergePatch(),
  );
}
