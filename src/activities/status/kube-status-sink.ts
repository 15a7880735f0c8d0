// StatusSink on the Kubernetes API: the Canary's status subresource, core/v1 Events and stdout.
import type * as k8s from '@kubernetes/client-node';
import { ApplicationFailure } from '@temporalio/common';
import { type Canary, CANARY_PLURAL, type CanaryStatus, FLAGGER_GROUP, FLAGGER_VERSION } from '../../api/canary';
import { apiMessage, statusCode, coreApi, customObjectsApi, mergePatch } from '../../kubernetes/client';
import { EventRecorder } from './event-recorder';
import { log } from '../../log';
import { kubeTime, statusPatch } from './status-patch';
import { type CanaryEvent, type CanaryRef, type StatusSink } from './status-sink';

const MAX_CONFLICTS = 5;

export class KubeStatusSink implements StatusSink {
  private readonly events: EventRecorder;

  constructor(private readonly custom: k8s.CustomObjectsApi = customObjectsApi(), core: k8s.CoreV1Api = coreApi()) {
    this.events = new EventRecorder(core, custom);
  }

  /**
   * Read, compute, merge-patch with the read resourceVersion as precondition: the condition and
   * transition time are computed from the status they replace, so a concurrent write means redo.
   */
  async writeStatus(ref: CanaryRef, status: Partial<CanaryStatus>): Promise<void> {
    const at = { group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL, namespace: ref.namespace, name: ref.name };
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      let canary: Canary;
      try {
        canary = (await this.custom.getNamespacedCustomObject(at)) as Canary;
      } catch (err) {
        throw failure(ref, 'get query', err);
      }
      const patch = statusPatch(canary.status ?? {}, status, canary.spec.targetRef.kind, kubeTime(new Date()));
      if (!patch) return;
      try {
        const body = { metadata: { resourceVersion: canary.metadata.resourceVersion }, status: patch };
        await this.custom.patchNamespacedCustomObjectStatus({ ...at, body }, mergePatch());
        return;
      } catch (err) {
        if (statusCode(err) !== 409) throw failure(ref, 'status update', err);
      }
    }
    throw ApplicationFailure.retryable(`canary ${ref.name}.${ref.namespace} status update failed: conflicting writes`, 'StatusConflict');
  }

  /**
   * The log line is written first and always; the Event is best effort, as with client-go's
   * recorder: a rollout must not fail, or repeat its log line in a retry, over a lost Event.
   */
  async recordEvent(e: CanaryEvent): Promise<void> {
    log(e.type === 'Warning' ? 'warn' : 'info', e.message, { ...(e.detail ?? {}), canary: `${e.name}.${e.namespace}` });
    try {
      await this.events.record(e);
    } catch (err) {
      log('error', `event for canary ${e.name}.${e.namespace} not recorded: ${apiMessage(err)}`, { canary: `${e.name}.${e.namespace}` });
    }
  }
}

/** A deleted Canary stays deleted: no retry. Anything else (API down, RBAC being fixed) may pass. */
function failure(ref: CanaryRef, what: string, err: unknown): ApplicationFailure {
  const message = `canary ${ref.name}.${ref.namespace} ${what} failed: ${apiMessage(err)}`;
  const status = statusCode(err);
  if (status === 404) return ApplicationFailure.nonRetryable(message, 'CanaryNotFound');
  if (status === 422) return ApplicationFailure.nonRetryable(message, 'InvalidCanary');
  return ApplicationFailure.retryable(message, 'StatusUnavailable');
}
