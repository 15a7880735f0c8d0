// Notices changes through Kubernetes watches and forwards them to the Canaries' workflows. It holds
// no rollout state: a signal-with-start on the Canary's workflow ID is harmless to repeat, so any
// number of watchers may run, and a restarted one simply signals each Canary once more.
//
// Canaries are watched in full; Deployments and DaemonSets by metadata only; ConfigMaps and Secrets
// through feeds that tell of changes and keep nothing (change-feed.ts). Of them only what a Canary's
// target uses is read (target-revisions.ts), so memory follows the Canaries, not the cluster. Each
// notice is kept until Temporal has taken it (delivery.ts), and every Canary is signalled again
// each resync period, as a safety net for anything missed.
import * as k8s from '@kubernetes/client-node';
import { Client, type Connection } from '@temporalio/client';
import { type Canary, CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../api/canary';
import { type Probe } from '../http/server';
import { readOptional } from '../kubernetes/client';
import { type ConfigKind } from '../kubernetes/revision';
import { type Workload, type WorkloadKind, workloadKind } from '../kubernetes/workload';
import { log } from '../log';
import { TASK_QUEUE } from '../workflows/messages';
import { CanaryIndex } from './canary-index';
import { Delivery, type Outcome, SIGNAL_BACKOFF } from './delivery';
import { type ChangeFeed } from './change-feed';
import { type MetadataInformer } from './metadata-informer';
import { TargetRevisions, versionOf } from './target-revisions';
import { TemporalHealth } from './temporal-health';
import { Watches } from './watches';
import { type CanarySight, signalCanary, sightId } from './workflow-signals';

type CanaryInformer = k8s.Informer<Canary & k8s.KubernetesObject> & k8s.ObjectCache<Canary & k8s.KubernetesObject>;

export interface WatcherOptions {
  /** Temporal's namespace; `default` when unset. */
  temporalNamespace?: string;
  taskQueue?: string;
  /** Limits every watch to one namespace (Flagger's -namespace); empty watches all. */
  namespace?: string;
  /** Every Canary is signalled again this often (PERCH_RESYNC_PERIOD). */
  resyncPeriodMs: number;
}

/** Canaries looked at and signalled at once: a burst (start, resync) queues, it does not flood. */
const CONCURRENCY = 32;
/** Of those, refreshes (resync, a watch started again): the rest stay free for changes. */
const REFRESH_CONCURRENCY = 8;
/** A dropped watch is started again after this long; the list it starts with catches up. */
const WATCH_RESTART_MS = 1000;

export class Watcher {
  private readonly index = new CanaryIndex();
  private readonly canaries: CanaryInformer;
  /** The targets' versions, by kind. */
  private readonly workloads: Record<WorkloadKind, MetadataInformer>;
  /** Changes to the configs targets may track, by kind. */
  private readonly configs: Record<ConfigKind, ChangeFeed>;
  private readonly revisions: TargetRevisions;
  private readonly delivery: Delivery<CanarySight>;
  private readonly health: TemporalHealth;
  private readonly client: Client;
  private readonly taskQueue: string;
  private readonly resyncPeriodMs: number;
  private resyncTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(kc: k8s.KubeConfig, connection: Connection, options: WatcherOptions) {
    const namespace = options.namespace ?? '';
    this.client = new Client({ connection, namespace: options.temporalNamespace ?? 'default' });
    this.taskQueue = options.taskQueue ?? TASK_QUEUE;
    this.resyncPeriodMs = options.resyncPeriodMs;
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const ns = namespace ? `/namespaces/${namespace}` : '';
    const group = { group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL };
    this.canaries = k8s.makeInformer(
      kc,
      `/apis/${FLAGGER_GROUP}/${FLAGGER_VERSION}${ns}/${CANARY_PLURAL}`,
      () =>
        (namespace ? custom.listNamespacedCustomObject({ ...group, namespace }) : custom.listClusterCustomObject(group)) as Promise<
          k8s.KubernetesListObject<Canary & k8s.KubernetesObject>
        >,
    );
    const watches = new Watches(kc, namespace);
    this.workloads = watches.workloads();
    this.configs = watches.configs((kind) => ({
      change: ({ namespace: n, name, resourceVersion }) => this.onConfig(kind, n, name, resourceVersion),
      lost: () => this.onConfigsLost(kind),
    }));
    this.revisions = new TargetRevisions(
      {
        workload: (kind, n, name) =>
          readOptional<Workload>(() =>
            kind === 'DaemonSet' ? apps.readNamespacedDaemonSet({ namespace: n, name }) : apps.readNamespacedDeployment({ namespace: n, name }),
          ),
        configMap: (n, name) => readOptional(() => core.readNamespacedConfigMap({ namespace: n, name })),
        secret: (n, name) => readOptional(() => core.readNamespacedSecret({ namespace: n, name })),
      },
      (kind, n, name) => {
        const obj = this.workloads[kind].get(name, n);
        return obj === undefined ? undefined : versionOf(obj.metadata);
      },
    );
    this.delivery = new Delivery<CanarySight>(
      {
        observe: (key) => this.observe(key),
        deliver: (key, reason, sight) => {
          const [n = '', name = ''] = key.split('/');
          return signalCanary(this.client, this.taskQueue, n, name, reason, sight);
        },
      },
      { concurrency: CONCURRENCY, refreshConcurrency: REFRESH_CONCURRENCY, backoff: SIGNAL_BACKOFF, onOutcome: (o) => this.outcome(o) },
    );
    this.health = new TemporalHealth(connection, () => this.delivery.retryNow());
  }

  async start(): Promise<void> {
    this.canaries.on(k8s.ADD, (c) => this.onCanary(c));
    this.canaries.on(k8s.UPDATE, (c) => this.onCanary(c));
    this.canaries.on(k8s.DELETE, (c) => this.onCanaryDeleted(c));
    for (const informer of Object.values(this.workloads)) {
      for (const verb of [k8s.ADD, k8s.UPDATE, k8s.DELETE] as const) {
        informer.on(verb, ({ metadata: { namespace, name } }) => this.onWorkload(namespace, name));
      }
    }
    for (const informer of [this.canaries, ...Object.values(this.workloads)] as k8s.Informer<k8s.KubernetesObject>[]) {
      // A dropped watch is re-established; until then nothing is missed, the list re-syncs on start.
      informer.on(k8s.ERROR, (err) => {
        if (this.stopped) return; // stop() aborted it
        log('warn', 'watch failed; restarting', { error: String(err) });
        setTimeout(() => {
          informer.start().catch((e: unknown) => log('warn', 'watch restart failed', { error: String(e) }));
        }, WATCH_RESTART_MS);
      });
    }
    this.health.start();
    // The targets' versions first, so the first Canary events find their targets.
    await Promise.all([...Object.values(this.workloads).map((i) => i.start()), ...Object.values(this.configs).map((f) => f.start())]);
    await this.canaries.start();
    this.resyncTimer = setInterval(() => this.resync(), this.resyncPeriodMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.resyncTimer);
    this.health.stop();
    this.delivery.stop();
    for (const feed of Object.values(this.configs)) feed.stop();
    await Promise.all([this.canaries, ...Object.values(this.workloads)].map((i) => i.stop()));
  }

  /** Readiness: whether Temporal answers (the watches' own state is the caller's). */
  temporal(): Probe {
    return this.health.probe();
  }

  private onCanary(c: Canary): void {
    const { namespace, name } = c.metadata;
    this.index.put(namespace, name, c.spec?.targetRef?.name ?? '');
    this.delivery.notify(`${namespace}/${name}`, `canary generation ${c.metadata.generation ?? 0}`);
  }

  /**
   * The workflow is told, and so is every other Canary of the same Deployment: the worker refuses a
   * second Canary on one target, so with the first gone the others must be looked at again.
   */
  private onCanaryDeleted(c: Canary): void {
    const { namespace, name } = c.metadata;
    const target = this.index.remove(namespace, name);
    this.delivery.notify(`${namespace}/${name}`, 'canary deleted');
    if (target === undefined) return;
    for (const sibling of this.index.forTarget(namespace, target)) {
      this.delivery.notify(`${namespace}/${sibling}`, `canary ${name} of the same Deployment ${target} was deleted`, { force: true });
    }
    this.revisions.retain(this.index.targets());
  }

  /** A Deployment or DaemonSet changed: the Canaries targeting that name are told. */
  private onWorkload(namespace: string, name: string): void {
    for (const canary of this.index.forTarget(namespace, name)) this.delivery.notify(`${namespace}/${canary}`, 'target changed');
  }

  private onConfig(kind: ConfigKind, namespace: string, name: string, resourceVersion: string): void {
    this.revisions.configChanged(namespace, kind, name, resourceVersion);
    for (const workload of this.revisions.usersOf(namespace, kind, name)) {
      for (const canary of this.index.forTarget(namespace, workload)) {
        this.delivery.notify(`${namespace}/${canary}`, `${kind === 'configmap' ? 'ConfigMap' : 'Secret'} ${name} changed`);
      }
    }
  }

  /**
   * The feed may have missed changes to configs of this kind: each is read again, and every Canary
   * looked at (only those whose revision moved are signalled).
   */
  private onConfigsLost(kind: ConfigKind): void {
    log('info', `following ${kind === 'configmap' ? 'ConfigMaps' : 'Secrets'} from the current version; reading the tracked ones again`);
    this.revisions.forgetConfigs();
    for (const c of this.canaries.list())
      this.delivery.notify(`${c.metadata.namespace}/${c.metadata.name}`, `${kind} watch restarted`, { lane: 'refresh' });
  }

  /** Every Canary once more, whatever the watcher believes it told it. */
  private resync(): void {
    this.revisions.retain(this.index.targets());
    for (const c of this.canaries.list())
      this.delivery.notify(`${c.metadata.namespace}/${c.metadata.name}`, 'resync', { force: true, lane: 'refresh' });
  }

  private async observe(key: string): Promise<CanarySight | undefined> {
    const [namespace = '', name = ''] = key.split('/');
    const canary = this.canaries.get(name, namespace);
    if (canary === undefined) return undefined;
    const generation = canary.metadata.generation ?? 0;
    const revision = await this.revisions.revision(namespace, canary.spec?.targetRef?.name ?? '', workloadKind(canary.spec?.targetRef?.kind));
    return { id: sightId(generation, revision), canary, revision };
  }

  private outcome(o: Outcome): void {
    const [namespace = '', name = ''] = o.key.split('/');
    const fields = { canary: `${name}.${namespace}` };
    if (o.ok) {
      this.health.signalled(true);
      log('info', `signalled canary/${namespace}/${name}: ${o.reason}`, fields);
      return;
    }
    if (o.step === 'deliver') this.health.signalled(false);
    const what = o.step === 'deliver' ? `cannot signal canary/${namespace}/${name}` : `cannot read Canary ${name}.${namespace} or its target`;
    log('warn', `${what} (attempt ${o.failures}, next in ${(o.retryInMs / 1000).toFixed(1)} s): ${message(o.error)}`, fields);
  }
}

/** The error's message and its cause's (the SDK's "Failed to signalWithStart" says little alone). */
function message(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message;
}
