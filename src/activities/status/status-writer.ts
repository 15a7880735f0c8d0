// The Canary's status subresource: the fields the workflow reports, with Flagger's Promoted
// condition and lastTransitionTime kept by the rules in status-patch.ts.
import type * as k8s from '@kubernetes/client-node';
import { type Canary, CANARY_PLURAL, type CanaryStatus, FLAGGER_GROUP, FLAGGER_VERSION } from '../../api/canary';
import { apiMessage, mergePatch, statusCode } from '../../kubernetes/client';
import { failure } from '../errors';
import { kubeTime, statusPatch } from './status-patch';
import { qualifiedName } from '../../rollout/names';

const MAX_CONFLICTS = 5;

export class StatusWriter {
  constructor(private readonly custom: k8s.CustomObjectsApi) {}

  /**
   * Read, compute, merge-patch with the read resourceVersion as precondition: the condition and
   * transition time are computed from the status they replace, so a concurrent write means redo.
   * No write when nothing changes. Answers the Canary's uid, read on the way.
   */
  async write(ref: { namespace: string; name: string }, status: Partial<CanaryStatus>, why?: string): Promise<string | undefined> {
    const at = { group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL, namespace: ref.namespace, name: ref.name };
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      let canary: Canary;
      try {
        canary = (await this.custom.getNamespacedCustomObject(at)) as Canary;
      } catch (err) {
        throw writeFailure(ref, 'get query', err);
      }
      const patch = statusPatch(canary.status ?? {}, status, canary.spec.targetRef.kind, kubeTime(new Date()), why);
      if (!patch) return canary.metadata.uid;
      try {
        const body = { metadata: { resourceVersion: canary.metadata.resourceVersion }, status: patch };
        await this.custom.patchNamespacedCustomObjectStatus({ ...at, body }, mergePatch());
        return canary.metadata.uid;
      } catch (err) {
        if (statusCode(err) !== 409) throw writeFailure(ref, 'status update', err);
      }
    }
    throw failure('WriteConflict', `canary ${qualifiedName(ref)} status update failed: conflicting writes`);
  }
}

/** A deleted Canary stays deleted: no retry. Anything else (API down, RBAC being fixed) may pass. */
function writeFailure(ref: { namespace: string; name: string }, what: string, err: unknown): Error {
  const message = `canary ${qualifiedName(ref)} ${what} failed: ${apiMessage(err)}`;
  const status = statusCode(err);
  if (status === 404) return failure('CanaryNotFound', message);
  if (status === 422) return failure('InvalidCanary', message);
  return failure('KubernetesUnavailable', message);
}
