// The Canaries the worker's metrics cover, listed from the API server at scrape time: the worker
// keeps no informer, and one list per scrape interval is cheap next to a rollout's own API calls.
import { type Canary, CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../api/canary';
import { customObjectsApi } from '../kubernetes/client';
import { type CanaryLister, type CanaryRef } from './canary-metrics';

/** Lists Canaries in `namespace`, or in all namespaces when it is empty (Flagger's -namespace). */
export function canaryLister(namespace: string): CanaryLister {
  return async () => {
    const group = { group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL };
    const list = (namespace
      ? await customObjectsApi().listNamespacedCustomObject({ ...group, namespace })
      : await customObjectsApi().listClusterCustomObject(group)) as { items?: Canary[] };
    return (list.items ?? []).flatMap((c): CanaryRef[] => {
      const target = c.spec?.targetRef?.name;
      return c.metadata?.namespace && target ? [{ namespace: c.metadata.namespace, target }] : [];
    });
  };
}
