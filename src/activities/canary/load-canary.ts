// Reads a Canary and turns it into the settings the workflow runs on, or the problems that stop it.
import { type Canary, CANARY_PLURAL, type CanaryStatus, FLAGGER_GROUP, FLAGGER_VERSION } from '../../api/canary';
import { type CanarySettings } from '../../api/canary-settings';
import { canarySettings } from '../../api/defaults';
import { crossNamespaceRefs, validateCanary } from '../../api/validation';
import { type CanaryLister } from '../../kubernetes/canary-cache';
import { type KubeClients, isNotFound } from '../../kubernetes/client';
import { duplicateTargetProblem } from './duplicate-target';
import { CANARY_FINALIZER } from './finalizer';

export type LoadedCanary =
  | { kind: 'missing' }
  | { kind: 'invalid'; uid: string; generation?: number; status: CanaryStatus; problems: string[] }
  /** `finalized`: Perch's finalizer is on it (revertOnDeletion); `deleting`: it waits for Perch to revert. */
  | { kind: 'ok'; uid: string; generation?: number; status: CanaryStatus; settings: CanarySettings; finalized: boolean; deleting: boolean };

export interface CanaryReader {
  kube: KubeClients;
  /** The other Canaries, for the duplicate-target check (the worker's informer cache). */
  canaries: CanaryLister;
  /** PERCH_NO_CROSS_NAMESPACE_REFS: templateRef and providerRef must stay in the Canary's namespace. */
  noCrossNamespaceRefs?: boolean;
}

export async function loadCanary(deps: CanaryReader, input: { namespace: string; name: string }): Promise<LoadedCanary> {
  let canary: Canary;
  try {
    canary = (await deps.kube.custom.getNamespacedCustomObject({
      group: FLAGGER_GROUP,
      version: FLAGGER_VERSION,
      plural: CANARY_PLURAL,
      namespace: input.namespace,
      name: input.name,
    })) as Canary;
  } catch (err) {
    if (isNotFound(err)) return { kind: 'missing' };
    throw err;
  }
  const finalized = (canary.metadata.finalizers ?? []).includes(CANARY_FINALIZER);
  const deleting = canary.metadata.deletionTimestamp !== undefined;
  if (deleting && !finalized) return { kind: 'missing' };
  const uid = canary.metadata.uid ?? '';
  const status = canary.status ?? {};
  const problems = [...validateCanary(canary), ...(deps.noCrossNamespaceRefs === true ? crossNamespaceRefs(canary) : [])];
  const duplicate = problems.length === 0 ? duplicateTargetProblem(canary, deps.canaries.list(input.namespace)) : undefined;
  if (duplicate !== undefined) problems.push(duplicate);
  const generation = canary.metadata.generation;
  if (problems.length > 0 && !deleting) return { kind: 'invalid', uid, generation, status, problems };
  return { kind: 'ok', uid, generation, status, settings: canarySettings(canary), finalized, deleting };
}
