// What counts as a new revision: a new image mid-analysis restarts the analysis, and a change to a
// tracked ConfigMap alone starts a rollout whose promotion gives the primary the new -primary copy.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apply } from '../support/manifests';
import { Scenario } from '../support/scenario';
import { seedCanary, seedManifests, TEST_INTERVALS } from '../support/seed';
import type * as k8s from '@kubernetes/client-node';
import { inOrder } from '../support/events';

describe('revisions', () => {
  const s = new Scenario('e2e-revisions');
  const ns = s.namespace;
  const config = (color: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'podinfo-config', namespace: ns },
    data: { PODINFO_UI_COLOR: color },
  });

  before(async () => {
    // The seed, with its Deployment also reading a ConfigMap through envFrom.
    await s.given(async (sc) => {
      await apply(sc.kc, [config('#34577c')]);
      const [deployment, hpa] = seedManifests('podinfo.yaml', ns) as [k8s.V1Deployment, k8s.KubernetesObject];
      const container = deployment.spec?.template.spec?.containers[0];
      if (container) container.envFrom = [{ configMapRef: { name: 'podinfo-config' } }];
      await apply(sc.kc, [deployment, hpa, seedCanary(TEST_INTERVALS, ns) as unknown as k8s.KubernetesObject]);
      await apply(sc.kc, seedManifests('podinfo-ingress.yaml', ns));
    });
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
  });
  after(() => s.tearDown());

  it('restarts the analysis when a new revision arrives mid-analysis', async () => {
    const since = await s.whenImageChanges('6.0.1');
    await s.thenWeight(15, since);
    await s.whenImageChanges('6.0.2');
    await s.thenPhase('Succeeded');
    const problem = inOrder(s.messages(), [
      `Advance ${s.canaryId} canary weight 15`,
      `New revision detected! Restarting analysis for ${s.canaryId}`,
      `Advance ${s.canaryId} canary weight 5`,
      `Advance ${s.canaryId} canary weight 50`,
      `Promotion completed! Scaling down ${s.canaryId}`,
    ]);
    assert.equal(problem, undefined, problem);
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.2');
  });

  it('rolls out a ConfigMap change alone and gives the primary the new -primary copy', async () => {
    const since = Date.now();
    await apply(s.kc, [config('#ff0000')]);
    await s.thenWeight(5, since);
    await s.thenPhase('Succeeded');
    const copy = await s.core.readNamespacedConfigMap({ name: 'podinfo-config-primary', namespace: ns });
    assert.equal(copy.data?.PODINFO_UI_COLOR, '#ff0000');
    const primary = await s.apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: ns });
    assert.equal(primary.spec?.template.spec?.containers[0]?.envFrom?.[0]?.configMapRef?.name, 'podinfo-config-primary');
    assert.ok(Object.keys((await s.canary()).status?.trackedConfigs ?? {}).includes('configmap/podinfo-config'));
  });
});
