// spec.autoscalerRef to a KEDA ScaledObject, against the real kube-apiserver with KEDA's CRD: the
// primary's ScaledObject (primaryScalerQueries, the primary as scale target, the Canary as owner),
// and the target's ScaledObject paused while the target is at zero, as Flagger does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { type Canary } from '../../../src/api/canary';
import { type CanarySettings } from '../../../src/api/canary-settings';
import { KEDA, PAUSED_REPLICAS_ANNOTATION, type ScaledObject } from '../../../src/activities/kubernetes/primary-scaled-object';
import { installScaledObjectCrd } from '../../support/keda';
import { createNamespace, deleteNamespace } from '../../support/namespace';
import { kubeConfig } from '../../support/stack';
import { stackActivities } from '../stack-activities';
import { createSeedCanary, createWorkload, seedCanary } from './fixtures';

const PRIMARY_QUERY = 'sum(rate(http_requests_total{app="podinfo-primary"}[1m]))';

function withScaledObject(c: Canary): void {
  c.spec.autoscalerRef = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'podinfo', primaryScalerQueries: { requests: PRIMARY_QUERY } };
}

describe('KEDA ScaledObject autoscalers', () => {
  const kc = kubeConfig();
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  let ns = '';
  let settings: CanarySettings;
  let canaryUid = '';
  let activities: ReturnType<typeof stackActivities>;

  const read = async (name: string): Promise<ScaledObject> =>
    (await custom.getNamespacedCustomObject({ ...KEDA, namespace: ns, name })) as ScaledObject;

  before(async () => {
    await installScaledObjectCrd(kc);
    ns = await createNamespace(kc, 'act-k8s-keda');
    await createWorkload(kc, ns, { hpa: false });
    await custom.createNamespacedCustomObject({
      ...KEDA,
      namespace: ns,
      body: {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: 'podinfo', labels: { team: 'perch' } },
        spec: {
          scaleTargetRef: { name: 'podinfo' },
          minReplicaCount: 2,
          maxReplicaCount: 5,
          triggers: [
            {
              type: 'prometheus',
              name: 'requests',
              metadata: { serverAddress: 'http://prometheus:9090', threshold: '10', query: 'sum(rate(http_requests_total{app="podinfo"}[1m]))' },
            },
            { type: 'cpu', metricType: 'Utilization', metadata: { value: '80' } },
          ],
        },
      },
    });
    ({ settings, canaryUid } = await createSeedCanary(kc, ns, withScaledObject));
    // The worker's cache holds the Canary: scaleDeployment finds its autoscalerRef there.
    const canary = seedCanary(ns, withScaledObject);
    activities = stackActivities({}, { list: (n) => (n === undefined || n === ns ? [canary] : []) });
  });
  after(async () => {
    await deleteNamespace(kc, ns);
  });

  it("creates the primary's ScaledObject with primaryScalerQueries, scaling the primary", async () => {
    await activities.initializePrimary({ settings, canaryUid });
    const primary = await read('podinfo-primary');
    assert.equal(primary.spec.scaleTargetRef.name, 'podinfo-primary');
    assert.equal(primary.spec.minReplicaCount, 2);
    assert.equal(primary.spec.maxReplicaCount, 5);
    assert.deepEqual(
      primary.spec.triggers.map((t) => [t.type, t.metadata.query]),
      [
        ['prometheus', PRIMARY_QUERY],
        ['cpu', undefined],
      ],
    );
    assert.equal(primary.metadata.ownerReferences?.[0]?.uid, canaryUid);
    assert.equal(primary.metadata.labels?.team, 'perch');
    // Started within the ScaledObject's bounds.
    const d = await kc.makeApiClient(k8s.AppsV1Api).readNamespacedDeployment({ name: 'podinfo-primary', namespace: ns });
    assert.equal(d.spec?.replicas, 2);
  });

  it("pauses the target's ScaledObject at zero and resumes it before scaling up", async () => {
    await activities.scaleDeployment({ namespace: ns, name: 'podinfo', replicas: 0 });
    assert.equal((await read('podinfo')).metadata.annotations?.[PAUSED_REPLICAS_ANNOTATION], '0');
    assert.equal((await read('podinfo-primary')).metadata.annotations?.[PAUSED_REPLICAS_ANNOTATION], undefined, 'the primary keeps scaling');
    // A canary run starts at the ScaledObject's minimum, as with an HPA.
    assert.equal(await activities.canaryReplicas({ settings }), 2);
    await activities.scaleDeployment({ namespace: ns, name: 'podinfo', replicas: 2 });
    assert.equal((await read('podinfo')).metadata.annotations?.[PAUSED_REPLICAS_ANNOTATION], undefined);
  });

  it("brings the primary's ScaledObject in line with the target's on promotion", async () => {
    await custom.patchNamespacedCustomObject(
      { ...KEDA, namespace: ns, name: 'podinfo', body: { spec: { maxReplicaCount: 7 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.deepEqual(await activities.promotePrimary({ settings }), { promoted: true });
    const primary = await read('podinfo-primary');
    assert.equal(primary.spec.maxReplicaCount, 7);
    assert.equal(primary.spec.triggers[0]?.metadata.query, PRIMARY_QUERY);
  });

  it('refuses a ScaledObject that does not exist, naming it', async () => {
    const missing: CanarySettings = { ...settings, autoscalerRef: { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'nope' } };
    await assert.rejects(
      activities.initializePrimary({ settings: missing, canaryUid }),
      /ScaledObject nope\..* not found: spec.autoscalerRef must name an existing KEDA ScaledObject/,
    );
  });
});
