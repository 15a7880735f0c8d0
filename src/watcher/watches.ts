// The watches the watcher keeps, one per kind it follows, all metadata only: the kinds of target
// (Deployments, DaemonSets) in informers that know each one's version, and the configs they may
// track (ConfigMaps, Secrets) in feeds that only tell of changes, since a cluster holds far more of
// those than any Canary uses. One row per kind: the API path and the two list calls, in a namespace
// or across all.
import * as k8s from '@kubernetes/client-node';
import { type ConfigKind } from '../kubernetes/revision';
import { type WorkloadKind } from '../kubernetes/workload';
import { ChangeFeed, type ChangeHandlers } from './change-feed';
import { type ListPage, type MetadataInformer, MetadataWatch, metadataInformer } from './metadata-informer';

type Page = Parameters<ListPage>[0];
type Options = Parameters<ListPage>[1];
type ReturnOfList = ReturnType<ListPage>;
type InNamespace = (page: Page & { namespace: string }, options: Options) => ReturnOfList;

/** `namespace` limits the watches to it; empty watches all namespaces. */
export class Watches {
  private readonly apps: k8s.AppsV1Api;
  private readonly core: k8s.CoreV1Api;

  constructor(
    private readonly kc: k8s.KubeConfig,
    private readonly namespace: string,
  ) {
    this.apps = kc.makeApiClient(k8s.AppsV1Api);
    this.core = kc.makeApiClient(k8s.CoreV1Api);
  }

  /** The version of every Deployment and DaemonSet. */
  workloads(): Record<WorkloadKind, MetadataInformer> {
    const { apps } = this;
    const informer = (collection: string, inNamespace: InNamespace, everywhere: ListPage): MetadataInformer =>
      metadataInformer(this.kc, this.path(collection), this.list(inNamespace, everywhere));
    return {
      Deployment: informer(
        '/apis/apps/v1{ns}/deployments',
        (p, o) => apps.listNamespacedDeployment(p, o),
        (p, o) => apps.listDeploymentForAllNamespaces(p, o),
      ),
      DaemonSet: informer(
        '/apis/apps/v1{ns}/daemonsets',
        (p, o) => apps.listNamespacedDaemonSet(p, o),
        (p, o) => apps.listDaemonSetForAllNamespaces(p, o),
      ),
    };
  }

  /** Every change to a ConfigMap or Secret, told to `handlers(kind)`. */
  configs(handlers: (kind: ConfigKind) => ChangeHandlers): Record<ConfigKind, ChangeFeed> {
    const { core } = this;
    const watch = new MetadataWatch(this.kc);
    const feed = (kind: ConfigKind, collection: string, inNamespace: InNamespace, everywhere: ListPage): ChangeFeed =>
      new ChangeFeed(this.path(collection), watch, this.list(inNamespace, everywhere), handlers(kind));
    return {
      configmap: feed(
        'configmap',
        '/api/v1{ns}/configmaps',
        (p, o) => core.listNamespacedConfigMap(p, o),
        (p, o) => core.listConfigMapForAllNamespaces(p, o),
      ),
      secret: feed(
        'secret',
        '/api/v1{ns}/secrets',
        (p, o) => core.listNamespacedSecret(p, o),
        (p, o) => core.listSecretForAllNamespaces(p, o),
      ),
    };
  }

  private path(collection: string): string {
    return collection.replace('{ns}', this.namespace ? `/namespaces/${this.namespace}` : '');
  }

  private list(inNamespace: InNamespace, everywhere: ListPage): ListPage {
    const { namespace } = this;
    return (page, options) => (namespace ? inNamespace({ namespace, ...page }, options) : everywhere(page, options));
  }
}
