// initializePrimary against the real cluster: the seed's generated objects, exactly; a second
// run writes nothing; the Canary's deletion collects them all.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { type CanarySettings } from '../../../src/api/canary-settings';
import { stackActivities } from '../stack-activities';
import { createNamespace, deleteNamespace } from '../../support/namespace';
import { eventually, kubeConfig } from '../../support/stack';
import { IMAGE, createSeedCanary, createWorkload, deleteCanary, ready, contentOf } from './fixtures';

const { initializePrimary } = stackActivities();

describe('initializePrimary', () => {
  const kc = kubeConfig();
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const hpas = kc.makeApiClient(k8s.AutoscalingV2Api);
  let ns = '';
  let settings: CanarySettings;
  let canaryUid = '';

  before(async () => {
    ns = await createNamespace(kc, 'act-k8s-init');
    await createWorkload(kc, ns);
    ({ settings, canaryUid } = await createSeedCanary(kc, ns));
  });
  after(async () => {
    await deleteNamespace(kc, ns);
  });

  const owned = (meta: k8s.V1ObjectMeta | undefined): void => {
    assert.deepEqual(
      meta?.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]),
      [['Canary', 'podinfo', canaryUid, true]],
    );
  };

  it("creates the seed's generated objects", async () => {
    await initializePrimary({ settings, canaryUid });

    const primary = await apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: ns });
    owned(primary.metadata);
    assert.deepEqual(primary.spec?.selector.matchLabels, { app: 'podinfo-primary' });
    assert.equal(primary.spec?.replicas, 2, 'the HPA minimum');
    const pod = primary.spec?.template;
    assert.equal(pod?.metadata?.labels?.app, 'podinfo-primary');
    assert.ok(pod?.metadata?.annotations?.['flagger-id']);
    assert.equal(pod?.spec?.containers[0]?.image, IMAGE);
    assert.equal(pod?.spec?.containers[0]?.env?.[0]?.valueFrom?.configMapKeyRef?.name, 'podinfo-config-primary');
    assert.equal(pod?.spec?.volumes?.[0]?.secret?.secretName, 'podinfo-secret-primary');

    const cm = await core.readNamespacedConfigMap({ name: 'podinfo-config-primary', namespace: ns });
    assert.deepEqual(cm.data, { color: '#34577c' });
    owned(cm.metadata);
    const secret = await core.readNamespacedSecret({ name: 'podinfo-secret-primary', namespace: ns });
    assert.equal(Buffer.from(secret.data?.token ?? '', 'base64').toString(), 's3cr3t');
    assert.equal(secret.type, 'Opaque');
    owned(secret.metadata);

    const hpa = await hpas.readNamespacedHorizontalPodAutoscaler({ name: 'podinfo-primary', namespace: ns });
    owned(hpa.metadata);
    assert.deepEqual({ ...hpa.spec?.scaleTargetRef }, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo-primary' });
    assert.equal(hpa.spec?.minReplicas, 2);
    assert.equal(hpa.spec?.maxReplicas, 4);
    assert.equal(hpa.spec?.metrics?.[0]?.resource?.target.averageUtilization, 99);

    const expected: Record<string, { selector: string; label: string }> = {
      podinfo: { selector: 'podinfo-primary', label: 'podinfo' },
      'podinfo-primary': { selector: 'podinfo-primary', label: 'podinfo-primary' },
      'podinfo-canary': { selector: 'podinfo', label: 'podinfo-canary' },
    };
    for (const [name, want] of Object.entries(expected)) {
      const svc = await core.readNamespacedService({ name, namespace: ns });
      owned(svc.metadata);
      assert.equal(svc.spec?.type, 'ClusterIP');
      assert.deepEqual(svc.spec?.selector, { app: want.selector }, `${name} selector`);
      assert.equal(svc.metadata?.labels?.app, want.label, `${name} label`);
      assert.deepEqual(
        svc.spec?.ports?.map((p) => [p.name, p.protocol, p.port, p.targetPort]),
        [['http', 'TCP', 80, 9898]],
      );
      assert.equal(svc.metadata?.annotations?.['kustomize.toolkit.fluxcd.io/reconcile'], 'disabled');
      assert.equal(svc.metadata?.annotations?.['helm.toolkit.fluxcd.io/driftDetection'], 'disabled');
    }

    await eventually('podinfo-primary with 2 ready replicas', 90_000, ready(apps, ns, 'podinfo-primary', 2));
  });

  it('changes nothing when run again', async () => {
    const versions = async (): Promise<string> =>
      [
        contentOf(await apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: ns })),
        contentOf(await hpas.readNamespacedHorizontalPodAutoscaler({ name: 'podinfo-primary', namespace: ns })),
        contentOf(await core.readNamespacedConfigMap({ name: 'podinfo-config-primary', namespace: ns })),
        contentOf(await core.readNamespacedSecret({ name: 'podinfo-secret-primary', namespace: ns })),
        ...(await Promise.all(
          ['podinfo', 'podinfo-primary', 'podinfo-canary'].map(async (name) => contentOf(await core.readNamespacedService({ name, namespace: ns }))),
        )),
      ].join(' ');
    const before = await versions();
    await initializePrimary({ settings, canaryUid });
    await initializePrimary({ settings, canaryUid });
    assert.equal(await versions(), before);
  });

  it('leaves everything to garbage collection when the Canary is deleted', async () => {
    await deleteCanary(kc, ns, 'podinfo');
    await eventually('generated objects collected', 60_000, async () => {
      const left = await Promise.all([
        apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: ns }).then(
          () => 'deployment',
          () => '',
        ),
        hpas.readNamespacedHorizontalPodAutoscaler({ name: 'podinfo-primary', namespace: ns }).then(
          () => 'hpa',
          () => '',
        ),
        core.readNamespacedConfigMap({ name: 'podinfo-config-primary', namespace: ns }).then(
          () => 'configmap',
          () => '',
        ),
        core.readNamespacedService({ name: 'podinfo', namespace: ns }).then(
          () => 'service',
          () => '',
        ),
      ]);
      return left.every((l) => l === '') ? true : undefined;
    });
    // The target and its own objects stay.
    await apps.readNamespacedDeployment({ name: 'podinfo', namespace: ns });
    await core.readNamespacedConfigMap({ name: 'podinfo-config', namespace: ns });
  });
});
