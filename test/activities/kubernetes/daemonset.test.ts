// A DaemonSet target against the real cluster (its DaemonSet controller, the kwok node): the primary
// DaemonSet, Flagger's scale-to-zero node selector, readiness and promotion. The workflow names
// workloads without a kind, so these calls do too: the activities find the DaemonSet themselves.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { type CanarySettings } from '../../../src/api/canary-settings';
import { SCALE_TO_ZERO_KEY } from '../../../src/kubernetes/workload';
import { createNamespace, deleteNamespace } from '../../support/namespace';
import { eventually, kubeConfig } from '../../support/stack';
import { stackActivities } from '../stack-activities';
import { IMAGE, createSeedCanary } from './fixtures';

const { initializePrimary, inspectTarget, scaleDeployment, waitForReady, promotePrimary } = stackActivities();

function daemonSet(namespace: string): k8s.V1DaemonSet {
  const labels = { app: 'podinfo' };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'podinfo', namespace, labels },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate' },
      template: { metadata: { labels }, spec: { containers: [{ name: 'podinfod', image: IMAGE, ports: [{ name: 'http', containerPort: 9898 }] }] } },
    },
  };
}

describe('DaemonSet targets', () => {
  const kc = kubeConfig();
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  let ns = '';
  let settings: CanarySettings;
  let canaryUid = '';

  before(async () => {
    ns = await createNamespace(kc, 'act-k8s-ds');
    await apps.createNamespacedDaemonSet({ namespace: ns, body: daemonSet(ns) });
    ({ settings, canaryUid } = await createSeedCanary(kc, ns, (c) => {
      c.spec.targetRef = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'podinfo' };
      delete c.spec.autoscalerRef;
    }));
  });
  after(async () => {
    await deleteNamespace(kc, ns);
  });

  const pods = async (app: string): Promise<number> => (await core.listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` })).items.length;

  it('creates a primary DaemonSet on the primary selector, which becomes ready', async () => {
    await initializePrimary({ settings, canaryUid });
    const primary = await apps.readNamespacedDaemonSet({ name: 'podinfo-primary', namespace: ns });
    assert.deepEqual(primary.spec?.selector.matchLabels, { app: 'podinfo-primary' });
    assert.equal(primary.spec?.template.spec?.containers[0]?.image, IMAGE);
    assert.equal(primary.metadata?.ownerReferences?.[0]?.uid, canaryUid);
    const ready = await waitForReady({ namespace: ns, name: 'podinfo-primary', readyThreshold: 100, timeoutMs: 60_000 });
    assert.equal(ready.ready, true, ready.message);
    assert.ok(ready.desired >= 1 && ready.available === ready.desired, `${ready.available} of ${ready.desired}`);
  });

  it('scales the target to zero by node selector, and back, without a new revision', async () => {
    const before = await inspectTarget({ namespace: ns, name: 'podinfo' });
    assert.equal(before.exists, true);
    await scaleDeployment({ namespace: ns, name: 'podinfo', replicas: 0 });
    const atZero = await apps.readNamespacedDaemonSet({ name: 'podinfo', namespace: ns });
    assert.equal(atZero.spec?.template.spec?.nodeSelector?.[SCALE_TO_ZERO_KEY], 'true');
    await eventually('no target pods', 60_000, async () => ((await pods('podinfo')) === 0 ? true : undefined));
    assert.equal((await inspectTarget({ namespace: ns, name: 'podinfo' })).revision, before.revision, 'the node selector is not a revision');

    await scaleDeployment({ namespace: ns, name: 'podinfo', replicas: 1 });
    const up = await apps.readNamespacedDaemonSet({ name: 'podinfo', namespace: ns });
    assert.equal(up.spec?.template.spec?.nodeSelector?.[SCALE_TO_ZERO_KEY], undefined);
    const ready = await waitForReady({ namespace: ns, name: 'podinfo', readyThreshold: 100, timeoutMs: 60_000 });
    assert.equal(ready.ready, true, ready.message);
  });

  it('waits for a changed DaemonSet until every node runs an available updated pod', async () => {
    await apps.patchNamespacedDaemonSet(
      {
        name: 'podinfo',
        namespace: ns,
        body: { spec: { template: { spec: { containers: [{ name: 'podinfod', image: 'ghcr.io/stefanprodan/podinfo:6.0.1' }] } } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    const ready = await waitForReady({ namespace: ns, name: 'podinfo', readyThreshold: 100, timeoutMs: 60_000 });
    assert.equal(ready.ready, true, ready.message);
    const ds = await apps.readNamespacedDaemonSet({ name: 'podinfo', namespace: ns });
    assert.equal(ds.status?.updatedNumberScheduled, ds.status?.desiredNumberScheduled);
  });

  it("promotes the target's template to the primary DaemonSet", async () => {
    const target = await inspectTarget({ namespace: ns, name: 'podinfo' });
    assert.deepEqual(await promotePrimary({ settings, revision: target.revision }), { promoted: true });
    const primary = await apps.readNamespacedDaemonSet({ name: 'podinfo-primary', namespace: ns });
    assert.equal(primary.spec?.template.spec?.containers[0]?.image, 'ghcr.io/stefanprodan/podinfo:6.0.1');
    assert.equal((await inspectTarget({ namespace: ns, name: 'podinfo' })).primaryMatches, true);
  });
});
