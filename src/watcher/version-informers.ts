// The metadata-only watches the watcher keeps, one per kind it follows: the kinds of target
// (Deployments, DaemonSets) and the configs they track (ConfigMaps, Secrets). One factory, one row
// per kind: the API path and the two list calls, in a namespace or across all.
import * as k8s from '@kubernetes/client-node';
import { type ListPage, type MetadataInformer, metadataInformer } from './metadata-informer';
import { type ObjectKind } from './target-revisions';

type Page = Parameters<ListPage>[0];
type Options = Parameters<ListPage>[1];
type ReturnOfList = ReturnType<ListPage>;

/** `namespace` limits every watch to it; empty watches all namespaces. */
export function versionInformers(kc: k8s.KubeConfig, namespace: string): Record<ObjectKind, MetadataInformer> {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const ns = namespace ? `/namespaces/${namespace}` : '';
  const watch = (
    collection: string,
    inNamespace: (page: Page & { namespace: string }, options: Options) => ReturnOfList,
    everywhere: ListPage,
  ): MetadataInformer =>
    metadataInformer(kc, collection.replace('{ns}', ns), (page, options) =>
      namespace ? inNamespace({ namespace, ...page }, options) : everywhere(page, options),
    );
  return {
    Deployment: watch(
      '/apis/apps/v1{ns}/deployments',
      (p, o) => apps.listNamespacedDeployment(p, o),
      (p, o) => apps.listDeploymentForAllNamespaces(p, o),
    ),
    DaemonSet: watch(
      '/apis/apps/v1{ns}/daemonsets',
      (p, o) => apps.listNamespacedDaemonSet(p, o),
      (p, o) => apps.listDaemonSetForAllNamespaces(p, o),
    ),
    configmap: watch(
      '/api/v1{ns}/configmaps',
      (p, o) => core.listNamespacedConfigMap(p, o),
      (p, o) => core.listConfigMapForAllNamespaces(p, o),
    ),
    secret: watch(
      '/api/v1{ns}/secrets',
      (p, o) => core.listNamespacedSecret(p, o),
      (p, o) => core.listSecretForAllNamespaces(p, o),
    ),
  };
}
