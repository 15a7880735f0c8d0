// scaleDeployment and canaryReplicas against the real cluster.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { ApplicationFailure } from '@temporalio/common';
import { type CanarySettings } from '../../../src/api/canary-settings';
import { stackActivities } from '../stack-activities';
import { canarySettings } from '../../../src/api/defaults';
import { createNamespace, deleteNamespace } from '../../support/namespace';
import { eventually, kubeConfig } from '../../support/stack';
import { createWorkload, podinfo, ready, seedCanary } from './fixtures';

const { canaryReplicas, scaleDeployment } = stackActivities();

describe('scaling', () => {
  const kc = kubeConfig();
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  let ns = '';
  let settings: CanarySettings;

  before(async () => {
    ns = await createNamespace(kc, 'act-k8s-scale');
    await createWorkload(kc, ns, { hpa: false });
    settings = canarySettings(
      seedCanary(ns, (c) => {
        delete c.spec.autoscalerRef;
      }),
    );
    // A stand-in primary: canaryReplicas reads only its replica count.
    const primary = podinfo(ns);
    primary.metadata = { name: 'podinfo-primary', namespace: ns };
    if (primary.spec) {
      primary.spec.selector = { matchLabels: { app: 'podinfo-primary' } };
      primary.spec.template.metadata = { labels: { app: 'podinfo-primary' } };
    }
    await apps.createNamespacedDeployment({ namespace: ns, body: primary });
  });
  after(async () => {
    await deleteNamespace(kc, ns);
  });

  const pods = async (): Promise<number> => (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=podinfo' })).items.length;

  it('scales a Deployment to zero and back, idempotently', async () => {
    await eventually('podinfo ready', 60_000, ready(apps, ns, 'podinfo', 1));
    await scaleDeployment({ namespace: ns, name: 'podinfo', replicas: 0 });
    const rv = (await apps.readNamespacedDeployment({ name: 'podinfo', namespace: ns })).metadata?.generation;
    await scaleDeployment({ namespace: ns, name: 'podinfo', replicas: 0 });
    assert.equal((await apps.readNamespacedDeployment({ name: 'podinfo', namespace: ns })).metadata?.generation, rv, 'no second write');
    await eventually('no podinfo pods', 60_000, async () => ((await pods()) === 0 ? true : undefined));

    await scaleDeployment({ namespace: ns, name: 'podinfo', replicas: 3 });
    await eventually('podinfo at 3 replicas', 60_000, ready(apps, ns, 'podinfo', 3));
  });

  it('treats a missing Deployment as scaled down, and refuses to scale it up', async () => {
    await scaleDeployment({ namespace: ns, name: 'gone', replicas: 0 });
    await assert.rejects(
      scaleDeployment({ namespace: ns, name: 'gone', replicas: 1 }),
      (err) => err instanceof ApplicationFailure && err.type === 'InvalidTarget' && err.nonRetryable,
    );
  });

  it("starts a canary at the target's own count, else at the primary's (no autoscaler)", async () => {
    assert.equal(await canaryReplicas({ settings }), 3);
    await scaleDeployment({ namespace: ns, name: 'podinfo', replicas: 0 });
    await scaleDeployment({ namespace: ns, name: 'podinfo-primary', replicas: 2 });
    assert.equal(await canaryReplicas({ settings }), 2);
  });

  it('starts a canary at the HPA minimum when an autoscaler is set and the target is at zero', async () => {
    const hpaApi = kc.makeApiClient(k8s.AutoscalingV2Api);
    await hpaApi.createNamespacedHorizontalPodAutoscaler({
      namespace: ns,
      body: {
        metadata: { name: 'podinfo' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' }, minReplicas: 3, maxReplicas: 5 },
      },
    });
    const withHpa: CanarySettings = {
      ...settings,
      autoscalerRef: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'podinfo' },
    };
    assert.equal(await canaryReplicas({ settings: withHpa }), 3);
  });
});
