// loadCanary on the real API server with the worker's Canary cache (an informer on the namespace):
// a second Canary on the same target is refused naming the first, which keeps working, and is
// accepted once the first is gone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../../../src/api/canary';
import { type CanaryCache, canaryCache } from '../../../src/kubernetes/canary-cache';
import { createNamespace, deleteNamespace } from '../../support/namespace';
import { eventually, kubeConfig } from '../../support/stack';
import { applyCrds, createCanary } from '../status/canary-fixture';
import { stackActivities } from '../stack-activities';

describe('loadCanary with two Canaries on one target', () => {
  const kc = kubeConfig();
  let ns = '';
  let cache: CanaryCache;
  let load: ReturnType<typeof stackActivities>['loadCanary'];
  const cached = (n: number) =>
    eventually(`${n} Canaries in the cache`, 30_000, () => Promise.resolve(cache.list(ns).length === n ? true : undefined));

  before(async () => {
    applyCrds();
    ns = await createNamespace(kc, 'act-load');
    cache = canaryCache(kc, ns);
    await cache.start();
    load = stackActivities({}, cache).loadCanary;
    await createCanary(kc, ns, (c) => {
      c.metadata.name = 'first';
    });
    await createCanary(kc, ns, (c) => {
      c.metadata.name = 'second';
    });
    await cached(2);
  });
  after(async () => {
    await cache.stop();
    await deleteNamespace(kc, ns);
  });

  it('refuses the younger Canary, naming the older one', async () => {
    const loaded = await load({ namespace: ns, name: 'second' });
    assert.equal(loaded.kind, 'invalid');
    assert.deepEqual(loaded.kind === 'invalid' && loaded.problems, [
      `Bad things will happen! Found more than one canary with the same target podinfo.${ns}: canary first.${ns} already targets it and keeps it`,
    ]);
  });

  it('lets the older one work', async () => {
    assert.equal((await load({ namespace: ns, name: 'first' })).kind, 'ok');
  });

  it('accepts the younger one once the older one is gone', async () => {
    await kc.makeApiClient(k8s.CustomObjectsApi).deleteNamespacedCustomObject({
      group: FLAGGER_GROUP,
      version: FLAGGER_VERSION,
      plural: CANARY_PLURAL,
      namespace: ns,
      name: 'first',
    });
    await cached(1);
    assert.equal((await load({ namespace: ns, name: 'second' })).kind, 'ok');
  });
});
