// Deleting a Canary: its generated objects go with it (owner references), and with
// revertOnDeletion the target is first scaled back up and ready, so the app keeps serving.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../../src/api/canary';
import { canaryEvents } from '../support/events';
import { Scenario } from '../support/scenario';
import { applySeed, seedCanary, TEST_INTERVALS } from '../support/seed';
import { eventually } from '../support/stack';
import { isAvailable } from '../support/workloads';

describe('deleting a Canary with revertOnDeletion', () => {
  const s = new Scenario('e2e-delete');
  const ns = s.namespace;

  before(async () => {
    const canary = seedCanary(TEST_INTERVALS, ns);
    canary.spec.revertOnDeletion = true;
    await s.setUp((sc) => applySeed(sc.kc, ns, canary));
    await s.waitForPhase('Initialized', 120_000);
  });
  after(() => s.tearDown());

  it('holds the Canary with a finalizer while revertOnDeletion is set', async () => {
    await eventually('finalizer set', 30_000, async () =>
      ((await s.canary()).metadata.finalizers?.includes('finalizer.flagger.app') ? true : undefined));
  });

  it('scales the target back up before the Canary and its objects go', async () => {
    const events: string[] = [];
    await s.kc.makeApiClient(k8s.CustomObjectsApi).deleteNamespacedCustomObject({
      group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL, namespace: ns, name: 'podinfo',
    });
    await eventually('Terminated event', 120_000, async () => {
      events.splice(0, events.length, ...(await canaryEvents(s.kc, ns, 'podinfo')));
      return events.includes(`Terminated canary ${s.canaryId}`) ? true : undefined;
    });
    assert.ok(events.includes(`Terminating canary ${s.canaryId}`));
    await eventually('Canary gone', 60_000, () => s.canary().then(() => undefined, () => true));
    await eventually('podinfo serving again with 2 replicas', 60_000, () => isAvailable(s.apps, ns, 'podinfo', 2));
    // The primary, its HPA and the generated Services are owned by the Canary: garbage-collected.
    await eventually('podinfo-primary garbage-collected', 60_000, () =>
      s.apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: ns }).then(() => undefined, (err: unknown) => (err instanceof k8s.ApiException && err.code === 404 ? true : undefined)));
    await eventually('HTTPProxy garbage-collected', 60_000, () =>
      s.proxies.get(ns, 'podinfo').then(() => undefined, () => true));
  });
});
