// Every version of the objects a rollout moves — the Canary, its HTTPProxy, the primary Deployment —
// with when it arrived, so the fault suite judges the whole course of a rollout, not only its end.
// A watch that breaks (an apiserver outage, the server's own timeout) resumes from the last
// resourceVersion it saw, so nothing in between is missed; only when the apiserver no longer holds
// that version (compacted, or older than its watch cache after a restart) does it list again, and
// spec writes missed meanwhile are counted so a check can say so.
import * as k8s from '@kubernetes/client-node';
import { type Canary, CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../../src/api/canary';
import { type HTTPProxy, HTTPPROXY_GROUP, HTTPPROXY_PLURAL, HTTPPROXY_VERSION } from '../../src/api/httpproxy';

export interface Sighting<T> {
  /** When this version arrived (ms since the epoch). */
  at: number;
  object: T;
}

type Listed<T> = { metadata?: { resourceVersion?: string }; items: T[] };

const RESUME_MS = 500;

/** One object, by name, watched for as long as the history runs. */
class History<T extends k8s.KubernetesObject> {
  readonly seen: Sighting<T>[] = [];
  /**
   * Spec writes (generations) missed: a watch resumed from a version the apiserver no longer holds
   * (compacted, or older than a restarted apiserver's watch cache) lists afresh, and the generations
   * between the last one seen and the listed one went by unseen.
   */
  gaps = 0;
  private expired = false;
  private resourceVersion: string | undefined;
  private abort: AbortController | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private listed: () => void = () => undefined;
  /** Resolves once the first list has been recorded: every later sighting arrived after it. */
  readonly ready = new Promise<void>((resolve) => {
    this.listed = resolve;
  });

  constructor(
    private readonly kc: k8s.KubeConfig,
    private readonly path: string,
    private readonly name: string,
    private readonly list: (fieldSelector: string) => Promise<Listed<T>>,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    await this.loop;
  }

  /** The newest version seen, if any. */
  latest(): T | undefined {
    return this.seen.at(-1)?.object;
  }

  /**
   * Whether the watch has seen the spec the apiserver holds now (its generation). A watch resumed
   * after an outage may deliver a write later than another object's watch shows its effect.
   */
  async caughtUp(): Promise<boolean> {
    const [current] = (await this.list(`metadata.name=${this.name}`)).items;
    return (this.latest()?.metadata?.generation ?? 0) >= (current?.metadata?.generation ?? 0);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) await this.relist();
        await this.watchOnce();
      } catch {
        // The apiserver is away: try again shortly, from where the watch was.
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, RESUME_MS));
    }
  }

  private async relist(): Promise<void> {
    const listed = await this.list(`metadata.name=${this.name}`);
    for (const item of listed.items) {
      // Spec writes the expired watch may have missed show as skipped generations.
      const [before, now] = [this.latest()?.metadata?.generation, item.metadata?.generation];
      if (this.expired && before !== undefined && now !== undefined) this.gaps += Math.max(0, now - before - 1);
      this.record(item);
    }
    this.expired = false;
    this.resourceVersion = listed.metadata?.resourceVersion ?? '';
    this.listed();
  }

  private watchOnce(): Promise<void> {
    return new Promise<void>((resolve) => {
      const query = { fieldSelector: `metadata.name=${this.name}`, allowWatchBookmarks: true, resourceVersion: this.resourceVersion };
      new k8s.Watch(this.kc)
        .watch(
          this.path,
          query,
          (phase: string, obj: T & { code?: number }) => {
            if (phase === 'ERROR') {
              // 410 Gone: the version was compacted; list again and note that versions may be missing.
              if (obj.code === 410) {
                this.resourceVersion = undefined;
                this.expired = true;
              }
              return;
            }
            this.resourceVersion = obj.metadata?.resourceVersion ?? this.resourceVersion;
            if (phase !== 'BOOKMARK') this.record(obj);
          },
          () => resolve(),
        )
        .then(
          (abort) => {
            this.abort = abort;
            if (this.stopped) abort.abort();
          },
          () => resolve(),
        );
    });
  }

  private record(obj: T): void {
    if (this.latest()?.metadata?.resourceVersion === obj.metadata?.resourceVersion) return;
    this.seen.push({ at: Date.now(), object: obj });
  }
}

/** The Canary `podinfo`, its HTTPProxy and `podinfo-primary` of one namespace, watched together. */
export class RolloutObserver {
  readonly canary: History<Canary & k8s.KubernetesObject>;
  readonly proxy: History<HTTPProxy & k8s.KubernetesObject>;
  readonly primary: History<k8s.V1Deployment>;

  constructor(
    kc: k8s.KubeConfig,
    readonly namespace: string,
    name = 'podinfo',
    target = 'podinfo',
  ) {
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const ns = `/namespaces/${namespace}`;
    this.canary = new History(
      kc,
      `/apis/${FLAGGER_GROUP}/${FLAGGER_VERSION}${ns}/${CANARY_PLURAL}`,
      name,
      async (fieldSelector) =>
        (await custom.listNamespacedCustomObject({
          group: FLAGGER_GROUP,
          version: FLAGGER_VERSION,
          plural: CANARY_PLURAL,
          namespace,
          fieldSelector,
        })) as Listed<Canary & k8s.KubernetesObject>,
    );
    this.proxy = new History(
      kc,
      `/apis/${HTTPPROXY_GROUP}/${HTTPPROXY_VERSION}${ns}/${HTTPPROXY_PLURAL}`,
      name,
      async (fieldSelector) =>
        (await custom.listNamespacedCustomObject({
          group: HTTPPROXY_GROUP,
          version: HTTPPROXY_VERSION,
          plural: HTTPPROXY_PLURAL,
          namespace,
          fieldSelector,
        })) as Listed<HTTPProxy & k8s.KubernetesObject>,
    );
    this.primary = new History(kc, `/apis/apps/v1${ns}/deployments`, `${target}-primary`, (fieldSelector) =>
      apps.listNamespacedDeployment({ namespace, fieldSelector }),
    );
  }

  /**
   * Starts the three watches and resolves once each has listed its object, so the versions that
   * stand before a change are on record as such and not taken for writes made after it.
   */
  async start(): Promise<void> {
    const histories = [this.canary, this.proxy, this.primary] as History<k8s.KubernetesObject>[];
    for (const h of histories) h.start();
    await Promise.all(histories.map((h) => h.ready));
  }

  async stop(): Promise<void> {
    await Promise.all([this.canary.stop(), this.proxy.stop(), this.primary.stop()]);
  }

  /** Whether the HTTPProxy's and the primary's watches have seen the specs the apiserver holds now. */
  async caughtUp(): Promise<boolean> {
    return (await this.proxy.caughtUp()) && (await this.primary.caughtUp());
  }

  /**
   * The canary service's weight in each HTTPProxy write that arrived in [from, to]: one per spec
   * generation (Contour's status updates make versions too, and are left out).
   */
  canaryWeights(from: number, to: number): Sighting<number>[] {
    const writes: Sighting<number>[] = [];
    let generation: number | undefined;
    for (const s of this.proxy.seen) {
      const g = s.object.metadata?.generation;
      if (g === generation) continue;
      generation = g;
      if (s.at >= from && s.at <= to) writes.push({ at: s.at, object: canaryWeightOf(s.object) });
    }
    return writes;
  }

  /** The primary's first container image in each version that arrived in [from, to]. */
  primaryImages(from: number, to: number): Sighting<string>[] {
    return this.primary.seen
      .filter((s) => s.at >= from && s.at <= to)
      .map((s) => ({ at: s.at, object: s.object.spec?.template.spec?.containers[0]?.image ?? '' }));
  }

  /** Spec writes of the HTTPProxy and the primary the watches missed (see History.gaps). */
  gaps(): number {
    return this.proxy.gaps + this.primary.gaps;
  }

  /**
   * When the rollout next moved forward after `since`: the first Canary version whose phase differs
   * from the one before it, or whose weight is higher (a failed check changes neither).
   */
  progressAfter(since: number): number | undefined {
    const seen = this.canary.seen;
    for (let i = 1; i < seen.length; i++) {
      const a = seen[i - 1]?.object.status;
      const b = seen[i];
      if (b === undefined || b.at < since) continue;
      if (b.object.status?.phase !== a?.phase || (b.object.status?.canaryWeight ?? 0) > (a?.canaryWeight ?? 0)) return b.at;
    }
    return undefined;
  }
}

/** The weight of the `-canary` service on the first route (an omitted weight is 0, as for Contour). */
export function canaryWeightOf(proxy: HTTPProxy): number {
  const services = proxy.spec.routes?.[0]?.services ?? [];
  return services.find((s) => s.name.endsWith('-canary'))?.weight ?? 0;
}
