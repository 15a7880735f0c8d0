// Notices changes through Kubernetes watches and forwards them to the Canaries' workflows. It holds
// no rollout state: a signal-with-start on the Canary's workflow ID is harmless to repeat, so any
// number of watchers may run, and a restarted one simply signals each Canary once more.
import * as k8s from '@kubernetes/client-node';
import { type Client } from '@temporalio/client';
import { searchAttributes } from '../workflows/search-attributes';
import { staticDetails, staticSummary } from './workflow-metadata';
import { type Canary, CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../api/canary';
import { revisionOf, trackedConfigRefs, trackedEntry } from '../kubernetes/revision';
import { canaryWorkflowId, reconcileSignal, TASK_QUEUE } from '../workflows/messages';
import { CanaryIndex } from './canary-index';
import { log } from '../log';

type Cache<T extends k8s.KubernetesObject> = k8s.Informer<T> & k8s.ObjectCache<T>;

export class Watcher {
  private readonly index = new CanaryIndex();
  /** What each Canary was last told about, so status churn does not become signals. */
  private readonly lastSent = new Map<string, string>();
  private readonly canaries: Cache<Canary & k8s.KubernetesObject>;
  private readonly deployments: Cache<k8s.V1Deployment>;
  private readonly configMaps: Cache<k8s.V1ConfigMap>;
  private readonly secrets: Cache<k8s.V1Secret>;

  /** `namespace` limits every watch to one namespace (Flagger's -namespace); empty watches all. */
  constructor(kc: k8s.KubeConfig, private readonly client: Client, private readonly taskQueue = TASK_QUEUE, namespace = '') {
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const ns = namespace ? `/namespaces/${namespace}` : '';
    const group = { group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL };
    this.canaries = k8s.makeInformer(kc, `/apis/${FLAGGER_GROUP}/${FLAGGER_VERSION}${ns}/${CANARY_PLURAL}`,
      () => (namespace ? custom.listNamespacedCustomObject({ ...group, namespace }) : custom.listClusterCustomObject(group)) as
        Promise<k8s.KubernetesListObject<Canary & k8s.KubernetesObject>>);
    this.deployments = k8s.makeInformer(kc, `/apis/apps/v1${ns}/deployments`,
      () => (namespace ? apps.listNamespacedDeployment({ namespace }) : apps.listDeploymentForAllNamespaces()));
    this.configMaps = k8s.makeInformer(kc, `/api/v1${ns}/configmaps`,
      () => (namespace ? core.listNamespacedConfigMap({ namespace }) : core.listConfigMapForAllNamespaces()));
    this.secrets = k8s.makeInformer(kc, `/api/v1${ns}/secrets`,
      () => (namespace ? core.listNamespacedSecret({ namespace }) : core.listSecretForAllNamespaces()));
  }

  async start(): Promise<void> {
    const onCanary = (c: Canary) => { this.index.put(c); this.notify(c.metadata.namespace, c.metadata.name, `canary generation ${c.metadata.generation ?? 0}`); };
    this.canaries.on(k8s.ADD, onCanary);
    this.canaries.on(k8s.UPDATE, onCanary);
    this.canaries.on(k8s.DELETE, (c) => {
      this.index.remove(c.metadata.namespace, c.metadata.name);
      this.lastSent.delete(`${c.metadata.namespace}/${c.metadata.name}`);
      this.signal(c.metadata.namespace, c.metadata.name, 'canary deleted');
    });
    const onDeployment = (d: k8s.V1Deployment) => {
      const ns = d.metadata?.namespace ?? '';
      for (const name of this.index.forTarget(ns, d.metadata?.name ?? '')) this.notify(ns, name);
    };
    for (const verb of [k8s.ADD, k8s.UPDATE, k8s.DELETE] as const) {
      this.deployments.on(verb, onDeployment);
      this.configMaps.on(verb, (cm) => this.onConfig('ConfigMap', cm));
      this.secrets.on(verb, (s) => this.onConfig('Secret', s));
    }
    for (const informer of [this.canaries, this.deployments, this.configMaps, this.secrets] as Cache<k8s.KubernetesObject>[]) {
      // A dropped watch is re-established; until then nothing is missed, the list re-syncs on start.
      informer.on(k8s.ERROR, (err) => {
        log('warn', 'watch failed; restarting', { error: String(err) });
        setTimeout(() => { informer.start().catch((e: unknown) => log('warn', 'watch restart failed', { error: String(e) })); }, 1000);
      });
    }
    // Caches of the dependencies first, so the first Canary events compute complete revisions.
    await Promise.all([this.deployments.start(), this.configMaps.start(), this.secrets.start()]);
    await this.canaries.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.canaries, this.deployments, this.configMaps, this.secrets].map((i) => i.stop()));
  }

  private onConfig(kind: 'ConfigMap' | 'Secret', obj: k8s.V1ConfigMap | k8s.V1Secret): void {
    const ns = obj.metadata?.namespace ?? '';
    const uses = (deployment: string) => {
      const template = this.deployments.get(deployment, ns)?.spec?.template;
      return template ? trackedConfigRefs(template) : undefined;
    };
    for (const name of this.index.forConfig(ns, kind, obj.metadata?.name ?? '', uses)) this.notify(ns, name);
  }

  /** The revision the Canary's target would roll out now, from the watch caches. */
  private revision(namespace: string, name: string): string {
    const canary = this.canaries.get(name, namespace);
    const target = canary && this.deployments.get(canary.spec?.targetRef?.name ?? '', namespace);
    const template = target?.spec?.template;
    if (!template) return 'no-target';
    const refs = trackedConfigRefs(template);
    const sums: Record<string, string> = {};
    // The same tracking rules as the activities (trackedEntry), so both compute the same revision.
    const add = (entry: [string, string] | undefined) => { if (entry) sums[entry[0]] = entry[1]; };
    for (const cm of refs.configMaps) {
      const obj = this.configMaps.get(cm, namespace);
      if (obj) add(trackedEntry('configmap', obj));
    }
    for (const s of refs.secrets) {
      const obj = this.secrets.get(s, namespace);
      if (obj) add(trackedEntry('secret', obj));
    }
    return revisionOf(template, sums);
  }

  /** Signals the Canary's workflow when its spec generation or its target's revision changed. */
  private notify(namespace: string, name: string, reason = 'target changed'): void {
    const canary = this.canaries.get(name, namespace);
    if (!canary) return;
    const key = `${namespace}/${name}`;
    const seen = `${canary.metadata.generation ?? 0}:${this.revision(namespace, name)}`;
    if (this.lastSent.get(key) === seen) return;
    this.lastSent.set(key, seen);
    this.signal(namespace, name, reason);
  }

  private signal(namespace: string, name: string, reason: string): void {
    const workflowId = canaryWorkflowId(namespace, name);
    const canary = this.canaries.get(name, namespace);
    this.client.workflow.signalWithStart('canaryWorkflow', {
      workflowId, taskQueue: this.taskQueue, args: [{ namespace, name }],
      // Filterable in the UI from the start; the workflow keeps them (and the rest) up to date.
      typedSearchAttributes: [
        { key: searchAttributes.canaryNamespace, value: namespace }, { key: searchAttributes.canaryName, value: name },
        ...(canary !== undefined ? [{ key: searchAttributes.target, value: canary.spec.targetRef.name }] : []),
      ],
      ...(canary !== undefined && { staticSummary: staticSummary(canary), staticDetails: staticDetails(canary) }),
      signal: reconcileSignal, signalArgs: [{ reason }],
    }).then(
      () => log('info', `signalled ${workflowId}: ${reason}`, { canary: `${name}.${namespace}` }),
      // The Canary is not lost: the next change or a watcher restart signals again.
      (err: unknown) => log('error', `cannot signal ${workflowId}: ${String(err)}`, { canary: `${name}.${namespace}` }),
    );
  }
}
