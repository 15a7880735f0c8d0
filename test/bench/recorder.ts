// What each controller reports, timed on arrival: every Kubernetes Event occurrence and every
// Canary phase change in one namespace, seen through watches. Both controllers are measured the
// same way, to the millisecond, whatever the timestamps they write themselves (Flagger's Events
// carry whole seconds).
import * as k8s from '@kubernetes/client-node';
import { type Canary, CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../../src/api/canary';

export interface Occurrence {
  /** Arrival, ms since the epoch. */
  at: number;
  /** The Canary (involvedObject.name) or, for phases, the Canary's name. */
  object: string;
  /** The Event's message, or the phase reached. */
  text: string;
}

export class Recorder {
  readonly events: Occurrence[] = [];
  readonly phases: Occurrence[] = [];
  private readonly counts = new Map<string, number>();
  private readonly lastPhase = new Map<string, string>();
  private readonly informers: k8s.Informer<k8s.KubernetesObject>[] = [];

  constructor(private readonly kc: k8s.KubeConfig, readonly namespace: string) {}

  async start(): Promise<void> {
    const core = this.kc.makeApiClient(k8s.CoreV1Api);
    const custom = this.kc.makeApiClient(k8s.CustomObjectsApi);
    const ns = this.namespace;
    const events = k8s.makeInformer(this.kc, `/api/v1/namespaces/${ns}/events`, () => core.listNamespacedEvent({ namespace: ns }));
    // An Event counted again (same text on the same object) is one more occurrence.
    const onEvent = (e: k8s.CoreV1Event) => {
      const uid = e.metadata.uid ?? '';
      const count = e.count ?? 1;
      if (count <= (this.counts.get(uid) ?? 0)) return;
      this.counts.set(uid, count);
      this.events.push({ at: Date.now(), object: e.involvedObject.name ?? '', text: e.message ?? '' });
    };
    events.on(k8s.ADD, onEvent);
    events.on(k8s.UPDATE, onEvent);
    const group = { group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL, namespace: ns };
    const canaries = k8s.makeInformer(this.kc, `/apis/${FLAGGER_GROUP}/${FLAGGER_VERSION}/namespaces/${ns}/${CANARY_PLURAL}`,
      () => custom.listNamespacedCustomObject(group) as Promise<k8s.KubernetesListObject<Canary & k8s.KubernetesObject>>);
    const onCanary = (c: Canary & k8s.KubernetesObject) => {
      const name = c.metadata?.name ?? '';
      const phase = c.status?.phase ?? '';
      if (this.lastPhase.get(name) === phase) return;
      this.lastPhase.set(name, phase);
      this.phases.push({ at: Date.now(), object: name, text: phase });
    };
    canaries.on(k8s.ADD, onCanary);
    canaries.on(k8s.UPDATE, onCanary);
    for (const informer of [events, canaries] as k8s.Informer<k8s.KubernetesObject>[]) {
      // A dropped watch is listed and watched again; what was missed arrives as ADD or UPDATE.
      informer.on(k8s.ERROR, () => setTimeout(() => void informer.start().catch(() => undefined), 1000));
      await informer.start();
      this.informers.push(informer);
    }
  }

  async stop(): Promise<void> {
    for (const informer of this.informers) await informer.stop();
  }

  /** The first occurrence after `since` on `object` whose text starts with `prefix`. */
  first(object: string, prefix: string, since = 0): Occurrence | undefined {
    return this.events.find((e) => e.object === object && e.at >= since && e.text.startsWith(prefix));
  }

  /** Every occurrence on `object` in [since, until] whose text starts with `prefix`, in order. */
  all(object: string, prefix: string, since = 0, until = Infinity): Occurrence[] {
    return this.events.filter((e) => e.object === object && e.at >= since && e.at <= until && e.text.startsWith(prefix));
  }

  /** When `object` first reached `phase` after `since`. */
  reached(object: string, phase: string, since = 0): number | undefined {
    return this.phases.find((p) => p.object === object && p.text === phase && p.at >= since)?.at;
  }
}
