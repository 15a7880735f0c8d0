// The control plane is real: the ReplicaSet controller, the scheduler and kwok's fake kubelet take
// a Deployment to Available with Ready pods, and scaling works both ways.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { createNamespace, deleteNamespace } from '../support/namespace';
import { eventually, kubeConfig } from '../support/stack';
import { deployment, isAvailable } from '../support/workloads';

describe('local Kubernetes', () => {
  const kc = kubeConfig();
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  let ns = '';

  before(async () => {
    ns = await createNamespace(kc, 'stack-k8s');
  });
  after(async () => {
    await deleteNamespace(kc, ns);
  });

  it('runs a Deployment to Available with Ready pods, scales it to zero and back', async () => {
    await apps.createNamespacedDeployment({ namespace: ns, body: deployment(ns, 'podinfo', 'ghcr.io/stefanprodan/podinfo:6.0.0', 2) });
    await eventually('podinfo available with 2 replicas', 60_000, () => isAvailable(apps, ns, 'podinfo', 2));

    const d = await apps.readNamespacedDeployment({ name: 'podinfo', namespace: ns });
    assert.equal(d.status?.conditions?.find((c) => c.type === 'Available')?.status, 'True');
    const pods = (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=podinfo' })).items;
    assert.equal(pods.length, 2);
    for (const pod of pods) {
      assert.equal(pod.spec?.nodeName, 'kwok-node-0', 'scheduled by kube-scheduler');
      assert.equal(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    }

    await apps.patchNamespacedDeploymentScale(
      { name: 'podinfo', namespace: ns, body: { spec: { replicas: 0 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await eventually('no podinfo pods left', 60_000, async () =>
      (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=podinfo' })).items.length === 0 ? true : undefined,
    );

    await apps.patchNamespacedDeploymentScale(
      { name: 'podinfo', namespace: ns, body: { spec: { replicas: 1 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await eventually('podinfo back to 1 replica', 60_000, () => isAvailable(apps, ns, 'podinfo', 1));
  });
});
