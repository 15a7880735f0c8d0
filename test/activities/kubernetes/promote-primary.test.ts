// promotePrimary against the real cluster: the primary runs the target's new image and config
// (through refreshed -primary copies), keeps its own selector, and a repeat writes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { type CanarySettings } from '../../../src/api/canary-settings';
import { stackActivities } from '../stack-activities';
import { createNamespace, deleteNamespace } from '../../support/namespace';
import { eventually, kubeConfig } from '../../support/stack';
import { createSeedCanary, createWorkload, ready, contentOf } from './fixtures';

const { initializePrimary, inspectTarget, promotePrimary } = stackActivities();

const NEXT = 'ghcr.io/stefanprodan/podinfo:6.0.1';

describe('promotePrimary', () => {
  const kc = kubeConfig();
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const hpas = kc.makeApiClient(k8s.AutoscalingV2Api);
  const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
  let ns = '';
  let settings: CanarySettings;

  before(async () => {
    ns = await createNamespace(kc, 'act-k8s-promote');
    await createWorkload(kc, ns);
    const canary = await createSeedCanary(kc, ns);
    settings = canary.settings;
    await initializePrimary(canary);
    await eventually('primary ready', 90_000, ready(apps, ns, 'podinfo-primary', 2));
  });
  after(async () => {
    await deleteNamespace(kc, ns);
  });

  it('copies the new image, config data and HPA scaling to the primary', async () => {
    const before = await apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: ns });
    const target = await apps.readNamespacedDeployment({ name: 'podinfo', namespace: ns });
    const c = target.spec?.template.spec?.containers[0];
    assert.ok(c);
    c.image = NEXT;
    await apps.replaceNamespacedDeployment({ name: 'podinfo', namespace: ns, body: target });
    await core.patchNamespacedConfigMap({ name: 'podinfo-config', namespace: ns, body: { data: { color: '#ff0000' } } }, merge);
    await hpas.patchNamespacedHorizontalPodAutoscaler({ name: 'podinfo', namespace: ns, body: { spec: { maxReplicas: 3 } } }, merge);

    await promotePrimary({ settings });

    const primary = await apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: ns });
    const pod = primary.spec?.template;
    assert.equal(pod?.spec?.containers[0]?.image, NEXT);
    assert.equal(pod?.spec?.containers[0]?.env?.[0]?.valueFrom?.configMapKeyRef?.name, 'podinfo-config-primary');
    assert.equal(pod?.spec?.volumes?.[0]?.secret?.secretName, 'podinfo-secret-primary');
    assert.deepEqual(primary.spec?.selector.matchLabels, { app: 'podinfo-primary' });
    assert.equal(pod?.metadata?.labels?.app, 'podinfo-primary');
    assert.notEqual(pod?.metadata?.annotations?.['flagger-id'], before.spec?.template.metadata?.annotations?.['flagger-id']);
    assert.equal(primary.spec?.replicas, before.spec?.replicas, 'the HPA owns the replica count');
    assert.deepEqual((await core.readNamespacedConfigMap({ name: 'podinfo-config-primary', namespace: ns })).data, { color: '#ff0000' });
    assert.equal((await hpas.readNamespacedHorizontalPodAutoscaler({ name: 'podinfo-primary', namespace: ns })).spec?.maxReplicas, 3);
    assert.deepEqual(
      (await core.readNamespacedConfigMap({ name: 'podinfo-config', namespace: ns })).data,
      { color: '#ff0000' },
      "the target's own ConfigMap is untouched",
    );

    await eventually('primary rolled out', 90_000, ready(apps, ns, 'podinfo-primary', 2));
  });

  it('changes nothing when run again for the same revision', async () => {
    const rvs = async (): Promise<string> =>
      [
        contentOf(await apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: ns })),
        contentOf(await core.readNamespacedConfigMap({ name: 'podinfo-config-primary', namespace: ns })),
        contentOf(await core.readNamespacedSecret({ name: 'podinfo-secret-primary', namespace: ns })),
        contentOf(await hpas.readNamespacedHorizontalPodAutoscaler({ name: 'podinfo-primary', namespace: ns })),
      ].join(' ');
    const before = await rvs();
    await promotePrimary({ settings });
    await promotePrimary({ settings });
    assert.equal(await rvs(), before);
  });

  it('rolls the primary for a config-only change (a new revision, same template)', async () => {
    const revision = (await inspectTarget({ namespace: ns, name: 'podinfo' })).revision;
    const before = await apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: ns });
    await core.patchNamespacedSecret({ name: 'podinfo-secret', namespace: ns, body: { stringData: { token: 'rotated' } } }, merge);
    assert.notEqual((await inspectTarget({ namespace: ns, name: 'podinfo' })).revision, revision);
    await promotePrimary({ settings });
    const after = await apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: ns });
    assert.ok((after.metadata?.generation ?? 0) > (before.metadata?.generation ?? 0), 'a new generation rolls the pods');
    const secret = await core.readNamespacedSecret({ name: 'podinfo-secret-primary', namespace: ns });
    assert.equal(Buffer.from(secret.data?.token ?? '', 'base64').toString(), 'rotated');
  });
});
