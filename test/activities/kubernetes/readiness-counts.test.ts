// deploymentReadiness on the real cluster counts the pods of the updated ReplicaSet only: the seed's
// "Waiting for ... rollout to finish: N of M updated replicas are available" Event takes N from it,
// and before this counted every available pod, old ones included ("2 of 2" while none was updated).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { createNamespace, deleteNamespace } from '../../support/namespace';
import { eventually, kubeConfig } from '../../support/stack';
import { stackActivities } from '../stack-activities';
import { createWorkload, ready } from './fixtures';

const { deploymentReadiness, scaleDeployment } = stackActivities();

describe('readiness counts', () => {
  const kc = kubeConfig();
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  let ns = '';

  before(async () => {
    ns = await createNamespace(kc, 'act-k8s-counts');
    await createWorkload(kc, ns, { hpa: false });
    await scaleDeployment({ namespace: ns, name: 'podinfo', replicas: 2 });
    await eventually('podinfo at 2 replicas', 60_000, ready(apps, ns, 'podinfo', 2));
  });
  after(async () => {
    await deleteNamespace(kc, ns);
  });

  it('counts no old pod while the new template has none running', async () => {
    // Paused: the controller observes the new template but starts no pod of it, so the two old
    // pods stay available and none is updated.
    await apps.patchNamespacedDeployment(
      {
        name: 'podinfo',
        namespace: ns,
        body: { spec: { paused: true, template: { spec: { containers: [{ name: 'podinfod', image: 'ghcr.io/stefanprodan/podinfo:6.0.1' }] } } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    await eventually('new generation observed', 30_000, async () => {
      const d = await apps.readNamespacedDeployment({ name: 'podinfo', namespace: ns });
      return (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) ? true : undefined;
    });
    const d = await apps.readNamespacedDeployment({ name: 'podinfo', namespace: ns });
    assert.equal(d.status?.availableReplicas, 2, 'the old pods are available');
    const r = await deploymentReadiness({ namespace: ns, name: 'podinfo', readyThreshold: 100 });
    assert.equal(r.ready, false);
    assert.deepEqual([r.available, r.desired], [0, 2]);
  });

  it('counts the updated pods once the rollout runs', async () => {
    await apps.patchNamespacedDeployment(
      { name: 'podinfo', namespace: ns, body: { spec: { paused: false } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    await eventually('podinfo rolled out', 60_000, ready(apps, ns, 'podinfo', 2));
    const r = await deploymentReadiness({ namespace: ns, name: 'podinfo', readyThreshold: 100 });
    assert.equal(r.ready, true, r.message);
    assert.deepEqual([r.available, r.desired], [2, 2]);
  });
});
