// Kubernetes Events on a Canary, aggregated the way client-go's recorder does it: an identical
// event (same object, type, reason and text) bumps `count` and `lastTimestamp` of the existing
// Event instead of adding one, so a gate polled every interval shows "x42 over 41m", not 42 rows.
// The Event's name is derived from its content, so the aggregation holds across workers and restarts.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import * as k8s from '@kubernetes/client-node';
import { CANARY_KIND, CANARY_PLURAL, FLAGGER_API_VERSION, FLAGGER_GROUP, FLAGGER_VERSION } from '../../api/canary';
import { statusCode } from '../../kubernetes/client';
import { kubeTime } from './status-patch';
import { type CanaryEvent } from './status-sink';

export const REPORTING_COMPONENT = 'perch';
/** The last occurrence key counted on an Event (see CanaryEvent.key). */
export const OCCURRENCE_ANNOTATION = 'perch.dev/occurrence';
export const DEFAULT_REASON = 'Synced';
/** Longer messages are cut in the Event (the log line keeps all of it). */
const MAX_EVENT_MESSAGE = 1024;
const MAX_CONFLICTS = 5;

export class EventRecorder {
  private readonly instance = hostname();

  constructor(private readonly core: k8s.CoreV1Api, private readonly custom: k8s.CustomObjectsApi) {}

  async record(e: CanaryEvent): Promise<void> {
    const uid = e.uid ?? (await this.lookupUid(e));
    const reason = e.reason || DEFAULT_REASON;
    const message = e.message.length > MAX_EVENT_MESSAGE ? `${e.message.slice(0, MAX_EVENT_MESSAGE - 1)}…` : e.message;
    const digest = createHash('sha256').update(JSON.stringify([uid ?? '', e.type, reason, message])).digest('hex').slice(0, 16);
    const name = `${e.name}.${digest}`;
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const now = kubeTime(new Date());
      try {
        await this.core.createNamespacedEvent({ namespace: e.namespace, body: this.event(e, uid, name, reason, message, now) });
        return;
      } catch (err) {
        if (statusCode(err) !== 409) throw err;
      }
      // Already there: count this occurrence on it.
      try {
        const existing = await this.core.readNamespacedEvent({ name, namespace: e.namespace });
        if (e.key !== undefined && existing.metadata.annotations?.[OCCURRENCE_ANNOTATION] === e.key) return;
        const body = [
          { op: 'test', path: '/metadata/resourceVersion', value: existing.metadata?.resourceVersion },
          { op: 'replace', path: '/count', value: (existing.count ?? 1) + 1 },
          { op: 'replace', path: '/lastTimestamp', value: now },
          ...(e.key === undefined ? [] : [{ op: 'add', path: '/metadata/annotations', value: { [OCCURRENCE_ANNOTATION]: e.key } }]),
        ];
        await this.core.patchNamespacedEvent({ name, namespace: e.namespace, body }, jsonPatch());
        return;
      } catch (err) {
        // 404: it expired between create and read; 409/422: a concurrent bump. Start over.
        if (![404, 409, 422].includes(statusCode(err) ?? 0)) throw err;
      }
    }
  }

  private event(e: CanaryEvent, uid: string | undefined, name: string, reason: string, message: string, now: string): k8s.CoreV1Event {
    return {
      metadata: { name, namespace: e.namespace, ...(e.key !== undefined && { annotations: { [OCCURRENCE_ANNOTATION]: e.key } }) },
      involvedObject: { apiVersion: FLAGGER_API_VERSION, kind: CANARY_KIND, name: e.name, namespace: e.namespace, ...(uid && { uid }) },
      type: e.type,
      reason,
      message,
      count: 1,
      firstTimestamp: now as unknown as Date,
      lastTimestamp: now as unknown as Date,
      source: { component: REPORTING_COMPONENT, host: this.instance },
      reportingComponent: REPORTING_COMPONENT,
      reportingInstance: this.instance,
    };
  }

  /** An Event without the uid does not show in `kubectl describe`; a missing Canary gets one anyway. */
  private async lookupUid(e: CanaryEvent): Promise<string | undefined> {
    try {
      const canary = (await this.custom.getNamespacedCustomObject({
        group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL, namespace: e.namespace, name: e.name,
      })) as { metadata?: { uid?: string } };
      return canary.metadata?.uid;
    } catch {
      return undefined;
    }
  }
}

const jsonPatch = (): ReturnType<typeof k8s.setHeaderOptions> => k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);
