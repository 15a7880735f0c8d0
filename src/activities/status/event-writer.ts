// Kubernetes Events on a Canary, aggregated the way client-go's recorder does it: an identical
// event (same object, type, reason and text) bumps `count` and `lastTimestamp` of the existing
// Event instead of adding one, so a gate polled every interval shows "x42 over 41m", not 42 rows.
// The Event's name is derived from its content, so the aggregation holds across workers and restarts.
// Unlike client-go's recorder, a write that fails throws (and the activity is retried): a step's
// Event survives an API server outage, and its occurrence key keeps it counted once.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type * as k8s from '@kubernetes/client-node';
import { CANARY_KIND, CANARY_PLURAL, FLAGGER_API_VERSION, FLAGGER_GROUP, FLAGGER_VERSION } from '../../api/canary';
import { apiMessage, jsonPatch, statusCode } from '../../kubernetes/client';
import { failure } from '../errors';
import { kubeTime } from './status-patch';
import { qualifiedName } from '../../rollout/names';

/** The last occurrence key counted on an Event (see EventInput.key). */
export const OCCURRENCE_ANNOTATION = 'perch.dev/occurrence';
/** The rollout the Event last occurred in (see EventInput.rollout). */
export const ROLLOUT_ANNOTATION = 'perch.dev/rollout';
export const DEFAULT_REASON = 'Synced';
/** Longer messages are cut in the Event (the log line keeps all of it). */
const MAX_EVENT_MESSAGE = 1024;
const MAX_CONFLICTS = 5;

/** One Event as the workflow reports it. */
export interface EventInput {
  type: 'Normal' | 'Warning';
  /** Flagger uses "Synced" for every event. */
  reason: string;
  message: string;
  /** Extra fields for the log line only (Events have no room for them). */
  detail?: Record<string, string | number>;
  /**
   * Identifies this occurrence (the workflow's run and event number): a retried activity that
   * already counted it does not count it again, so a crash never shows as a doubled step.
   */
  key?: string;
  /**
   * The rollout it belongs to (when the rollout began, as the workflow's state has it): the demo and
   * scripts select a rollout's Events by it, not by the clock.
   */
  rollout?: string;
}

export interface EventTarget {
  namespace: string;
  name: string;
  /** The Canary's uid; looked up when absent, since `kubectl describe` matches Events by uid. */
  uid?: string;
}

export class EventWriter {
  constructor(
    private readonly core: k8s.CoreV1Api,
    private readonly custom: k8s.CustomObjectsApi,
    /** PERCH_EVENT_SOURCE: the Events' source.component and reportingComponent. */
    private readonly source: string,
    private readonly instance: string = hostname(),
  ) {}

  /** Writes each Event in order; throws CanaryNotFound once the Canary is gone. */
  async write(canary: EventTarget, events: readonly EventInput[]): Promise<void> {
    if (events.length === 0) return;
    const uid = canary.uid || (await this.uidOf(canary));
    for (const e of events) await this.writeOne(canary, uid, e);
  }

  private async writeOne(canary: EventTarget, uid: string, e: EventInput): Promise<void> {
    const reason = e.reason || DEFAULT_REASON;
    const message = e.message.length > MAX_EVENT_MESSAGE ? `${e.message.slice(0, MAX_EVENT_MESSAGE - 1)}…` : e.message;
    const digest = createHash('sha256')
      .update(JSON.stringify([uid, e.type, reason, message]))
      .digest('hex')
      .slice(0, 16);
    const name = `${canary.name}.${digest}`;
    const { namespace } = canary;
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const now = kubeTime(new Date());
      try {
        await this.core.createNamespacedEvent({ namespace, body: this.event(canary, uid, e, name, reason, message, now) });
        return;
      } catch (err) {
        if (statusCode(err) !== 409) throw writeFailure(canary, err);
      }
      // Already there: count this occurrence on it.
      try {
        const existing = await this.core.readNamespacedEvent({ name, namespace });
        if (e.key !== undefined && existing.metadata.annotations?.[OCCURRENCE_ANNOTATION] === e.key) return;
        const annotations = annotationsOf(e);
        const body = [
          { op: 'test', path: '/metadata/resourceVersion', value: existing.metadata?.resourceVersion },
          { op: 'replace', path: '/count', value: (existing.count ?? 1) + 1 },
          { op: 'replace', path: '/lastTimestamp', value: now },
          ...(annotations === undefined ? [] : [{ op: 'add', path: '/metadata/annotations', value: annotations }]),
        ];
        await this.core.patchNamespacedEvent({ name, namespace, body }, jsonPatch());
        return;
      } catch (err) {
        // 404: it expired between create and read; 409/422: a concurrent bump. Start over.
        if (![404, 409, 422].includes(statusCode(err) ?? 0)) throw writeFailure(canary, err);
      }
    }
    throw failure('WriteConflict', `event for canary ${canary.name}.${namespace} not recorded: conflicting writes`);
  }

  private event(canary: EventTarget, uid: string, e: EventInput, name: string, reason: string, message: string, now: string): k8s.CoreV1Event {
    return {
      metadata: { name, namespace: canary.namespace, annotations: annotationsOf(e) },
      involvedObject: { apiVersion: FLAGGER_API_VERSION, kind: CANARY_KIND, name: canary.name, namespace: canary.namespace, uid },
      type: e.type,
      reason,
      message,
      count: 1,
      firstTimestamp: now as unknown as Date,
      lastTimestamp: now as unknown as Date,
      source: { component: this.source, host: this.instance },
      reportingComponent: this.source,
      reportingInstance: this.instance,
    };
  }

  /** An Event without the uid does not show in `kubectl describe`; a Canary that is gone gets none. */
  private async uidOf(canary: EventTarget): Promise<string> {
    try {
      const found = (await this.custom.getNamespacedCustomObject({
        group: FLAGGER_GROUP,
        version: FLAGGER_VERSION,
        plural: CANARY_PLURAL,
        namespace: canary.namespace,
        name: canary.name,
      })) as { metadata?: { uid?: string } };
      return found.metadata?.uid ?? '';
    } catch (err) {
      throw writeFailure(canary, err);
    }
  }
}

function annotationsOf(e: EventInput): Record<string, string> | undefined {
  const a = { ...(e.key !== undefined && { [OCCURRENCE_ANNOTATION]: e.key }), ...(e.rollout !== undefined && { [ROLLOUT_ANNOTATION]: e.rollout }) };
  return Object.keys(a).length > 0 ? a : undefined;
}

function writeFailure(canary: EventTarget, err: unknown): Error {
  const message = `event for canary ${qualifiedName(canary)} not recorded: ${apiMessage(err)}`;
  return failure(statusCode(err) === 404 ? 'CanaryNotFound' : 'KubernetesUnavailable', message);
}
