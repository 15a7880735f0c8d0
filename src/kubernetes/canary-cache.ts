// The worker's cache of Canaries: one informer (list, then watch), started by the worker's entry
// point and read by the activities that need the other Canaries (the duplicate-target check) and by
// the flagger_canary_total metric, so neither lists the API server per call.
import * as k8s from '@kubernetes/client-node';
import { type Canary, CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../api/canary';
import { log } from '../log';

/** The Canaries known right now; `namespace` narrows to one. */
export interface CanaryLister {
  list(namespace?: string): readonly Canary[];
}

export interface CanaryCache extends CanaryLister {
  /** Resolves once the first list is in, trying again while the API server cannot be reached. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A dropped watch is listed and watched again after this long, for as long as the cache runs. */
const RESTART_DELAY_MS = 1000;

/** Canaries in `namespace`, or in every namespace when it is empty (PERCH_WATCH_NAMESPACE). */
export function canaryCache(kc: k8s.KubeConfig, namespace: string): CanaryCache {
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const group = { group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL };
  const path = `/apis/${FLAGGER_GROUP}/${FLAGGER_VERSION}${namespace ? `/namespaces/${namespace}` : ''}/${CANARY_PLURAL}`;
  const informer = k8s.makeInformer<Canary & k8s.KubernetesObject>(
    kc,
    path,
    () =>
      (namespace ? custom.listNamespacedCustomObject({ ...group, namespace }) : custom.listClusterCustomObject(group)) as Promise<
        k8s.KubernetesListObject<Canary & k8s.KubernetesObject>
      >,
  );
  let state: 'starting' | 'running' | 'stopped' = 'stopped';
  let failed: unknown;
  let restart: NodeJS.Timeout | undefined;
  informer.on(k8s.ERROR, (err) => {
    failed = err;
    if (state !== 'running') return;
    log('warn', 'Canary watch failed; listing again', { error: String(err) });
    restart = setTimeout(() => {
      if (state === 'running') informer.start().catch(() => undefined); // a failure comes back through ERROR
    }, RESTART_DELAY_MS);
  });
  return {
    list: (ns) => informer.list(ns),
    async start() {
      state = 'starting';
      // The informer reports a failed list through ERROR, not by rejecting: try until one succeeds.
      for (let attempt = 1; state === 'starting'; attempt++) {
        failed = undefined;
        await informer.start();
        if (failed === undefined) {
          state = 'running';
          return;
        }
        if (attempt === 1)
          log('warn', 'listing Canaries failed; trying again every second', {
            error: failed instanceof Error ? failed.message : JSON.stringify(failed),
          });
        await new Promise((r) => setTimeout(r, RESTART_DELAY_MS));
      }
    },
    async stop() {
      state = 'stopped';
      clearTimeout(restart);
      await informer.stop();
    },
  };
}
