// A promotion whose primary never becomes ready: a pod quota leaves no room for the primary's rolling
// update, so the copied spec cannot roll out. Perch fails the rollout as Flagger 1.44 does: all
// traffic to the canary (still ready, running the new version), phase Failed, an error alert.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { promoteSignal } from '../../src/workflows/messages';
import { apply } from '../support/manifests';
import { Receiver } from '../support/receiver';
import { Scenario } from '../support/scenario';
import { applySeed, seedCanary, TEST_INTERVALS } from '../support/seed';
import { eventually } from '../support/stack';

const ns = 'e2e-promotion-fail';

describe('a promotion whose primary never becomes ready', () => {
  const s = new Scenario(ns);
  let rx: Receiver;

  before(async () => {
    rx = await Receiver.start();
    await s.given(async (sc) => {
      await apply(sc.kc, [
        {
          apiVersion: 'flagger.app/v1beta1',
          kind: 'AlertProvider',
          metadata: { name: 'on-call', namespace: ns },
          spec: { type: 'slack', channel: 'on-call', address: rx.url('/slack') },
        } as k8s.KubernetesObject,
      ]);
      const canary = seedCanary(TEST_INTERVALS, ns);
      canary.spec.progressDeadlineSeconds = 20;
      canary.spec.analysis.alerts = [{ name: 'on-call', severity: 'error', providerRef: { name: 'on-call' } }];
      await applySeed(sc.kc, ns, canary);
    });
    await s.thenPhase('Initialized', { timeoutMs: 180_000 });
  });

  after(async () => {
    await s.tearDown();
    await rx.close();
  });

  it('routes everything to the canary, fails the rollout and alerts, saying why', async () => {
    const since = await s.whenImageChanges('6.0.1');
    await s.thenWeight(5, since);
    // One pod less than run now: whether the primary's update surges or first removes an old pod,
    // it can never create a new one.
    await s.core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name: 'pods' }, spec: { hard: { pods: '100' } } } });
    const used = await eventually(
      'quota usage counted',
      60_000,
      async () => (await s.core.readNamespacedResourceQuota({ name: 'pods', namespace: ns })).status?.used?.pods,
    );
    const hard = String(Number(used) - 1);
    await s.core.patchNamespacedResourceQuota(
      { name: 'pods', namespace: ns, body: { spec: { hard: { pods: hard } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await eventually('quota hard limit in force', 60_000, async () =>
      (await s.core.readNamespacedResourceQuota({ name: 'pods', namespace: ns })).status?.hard?.pods === hard ? true : undefined,
    );
    await (await s.workflow()).signal(promoteSignal);

    const failed = await s.thenPhase('Failed', { timeoutMs: 120_000 });
    assert.equal(failed.status?.canaryWeight, 100);
    assert.deepEqual(await s.weights(), [0, 100], 'primary 0, canary 100');
    const event = s.messages().find((m) => m.startsWith(`Promotion of podinfo.${ns} failed, primary not ready:`));
    assert.ok(event, s.messages().join('\n'));
    const target = await s.apps.readNamespacedDeployment({ name: 'podinfo', namespace: ns });
    assert.ok((target.spec?.replicas ?? 0) > 0, 'the canary keeps serving');
    type Slack = { attachments: { text: string }[] };
    const text = (b: Slack) => b.attachments[0]?.text ?? '';
    await rx.waitFor<Slack>('the error alert', '/slack', (b) => text(b).startsWith('Promotion failed, primary not ready:'), 30_000);
    const texts = rx.bodies<Slack>('/slack').map(text);
    assert.ok(
      texts.every((t) => !t.startsWith('Canary analysis completed')),
      texts.join('\n'),
    );
  });
});
