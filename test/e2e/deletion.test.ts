// Deleting a Canary: its generated objects go with it (owner references), and with
// revertOnDeletion the target is first scaled back up and ready, so the app keeps serving. A
// Service that was the user's before the Canary stays, selecting the target's pods again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../../src/api/canary';
import { canaryEvents } from '../support/events';
import { Scenario } from '../support/scenario';
import { applySeed, seedCanary, TEST_INTERVALS } from '../support/seed';
import { eventually } from '../support/stack';
import { isAvailable } from '../support/workloads';

/** The app's own Service, as `kubectl apply` would have left it before anyone installed a Canary. */
function usersService(ns: string): k8s.V1Service {
  const spec: k8s.V1ServiceSpec = { selector: { app: 'podinfo' }, ports: [{ name: 'http', port: 9898, targetPort: 9898 }] };
  const applied = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'podinfo', namespace: ns }, spec };
  return {
    metadata: { name: 'podinfo', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied) } },
    spec,
  };
}

describe('deleting a Canary with revertOnDeletion', () => {
  const s = new Scenario('e2e-delete');
  const ns = s.namespace;
  const selectorOfService = async () => (await s.core.readNamespacedService({ name: 'podinfo', namespace: ns })).spec?.selector;

  before(async () => {
    const canary = seedCanary(TEST_INTERVALS, ns);
    canary.spec.revertOnDeletion = true;
    canary.spec.progressDeadlineSeconds = 15;
    await s.given(async (sc) => {
      await sc.core.createNamespacedService({ namespace: ns, body: usersService(ns) });
      await applySeed(sc.kc, ns, canary);
    });
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
  });
  after(() => s.tearDown());

  it("holds the Canary with a finalizer while revertOnDeletion is set, and takes the user's Service over", async () => {
    await eventually('finalizer set', 30_000, async () =>
      (await s.canary()).metadata.finalizers?.includes('finalizer.flagger.app') ? true : undefined,
    );
    assert.deepEqual(await selectorOfService(), { app: 'podinfo-primary' });
  });

  it('keeps the Canary, and the primary serving, while the target cannot become ready', async () => {
    // No room for a single new pod: the target cannot scale back up.
    await s.core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name: 'pods' }, spec: { hard: { pods: '2' } } } });
    await eventually('quota in force', 60_000, async () =>
      (await s.core.readNamespacedResourceQuota({ name: 'pods', namespace: ns })).status?.hard?.pods === '2' ? true : undefined,
    );
    await s.kc.makeApiClient(k8s.CustomObjectsApi).deleteNamespacedCustomObject({
      group: FLAGGER_GROUP,
      version: FLAGGER_VERSION,
      plural: CANARY_PLURAL,
      namespace: ns,
      name: 'podinfo',
    });
    const waiting = `Terminating canary ${s.canaryId} waits: podinfo.${ns} not ready:`;
    await eventually('the wait announced', 90_000, async () =>
      (await canaryEvents(s.kc, ns, 'podinfo')).some((e) => e.startsWith(waiting)) ? true : undefined,
    );
    const held = await s.canary();
    assert.ok(held.metadata.deletionTimestamp !== undefined && held.metadata.finalizers?.includes('finalizer.flagger.app'));
    assert.equal(held.status?.phase, 'Terminating');
    assert.ok(await isAvailable(s.apps, ns, 'podinfo-primary', 2), 'the primary still serves');
    assert.deepEqual(await selectorOfService(), { app: 'podinfo-primary' }, 'the Service still selects the primary');
  });

  it("once the target is ready: the user's Service selects it again, and the Canary and its objects go", async () => {
    await s.core.deleteNamespacedResourceQuota({ name: 'pods', namespace: ns });
    await eventually('Canary gone', 180_000, () =>
      s.canary().then(
        () => undefined,
        () => true,
      ),
    );
    const events = await canaryEvents(s.kc, ns, 'podinfo');
    assert.equal(events.filter((e) => e === `Terminating canary ${s.canaryId}`).length, 1, 'announced once');
    assert.ok(events.includes(`Terminated canary ${s.canaryId}`));
    await eventually('podinfo serving again with 2 replicas', 60_000, () => isAvailable(s.apps, ns, 'podinfo', 2));
    assert.deepEqual(await selectorOfService(), { app: 'podinfo' });
    // The primary, its HPA, the generated Services and the HTTPProxy are owned by the Canary.
    await eventually('podinfo-primary garbage-collected', 60_000, () =>
      s.apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: ns }).then(
        () => undefined,
        (err: unknown) => (err instanceof k8s.ApiException && err.code === 404 ? true : undefined),
      ),
    );
    await eventually('HTTPProxy garbage-collected', 60_000, () =>
      s.proxies.get(ns, 'podinfo').then(
        () => undefined,
        () => true,
      ),
    );
    await eventually('podinfo-canary garbage-collected', 60_000, () =>
      s.core.readNamespacedService({ name: 'podinfo-canary', namespace: ns }).then(
        () => undefined,
        () => true,
      ),
    );
    assert.deepEqual(await selectorOfService(), { app: 'podinfo' }, "the user's Service stays");
  });
});
