// initializePrimary's edges against the real cluster: unusable targets fail for good with a
// message an operator can act on; an existing apex Service is taken over, not replaced.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { ApplicationFailure } from '@temporalio/common';
import { kubeConfig } from '../../support/stack';
import { stackActivities } from '../stack-activities';
import { appliedSelector } from '../../../src/activities/kubernetes/revert-apex-service';
import { createNamespace, deleteNamespace } from '../../support/namespace';
import { createSeedCanary, createWorkload, podinfo } from './fixtures';

const { initializePrimary, revertApexService } = stackActivities();

const invalid =
  (pattern: RegExp) =>
  (err: unknown): boolean => {
    assert.ok(err instanceof ApplicationFailure, String(err));
    assert.equal(err.type, 'InvalidTarget');
    assert.equal(err.nonRetryable, true);
    assert.match(err.message, pattern);
    return true;
  };

describe('initializePrimary: invalid targets and takeover', () => {
  const kc = kubeConfig();
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  let ns = '';

  before(async () => {
    ns = await createNamespace(kc, 'act-k8s-takeover');
  });
  after(async () => {
    await deleteNamespace(kc, ns);
  });

  it('fails for good when the target Deployment does not exist', async () => {
    const { settings, canaryUid } = await createSeedCanary(kc, ns, (c) => {
      c.metadata.name = 'missing';
      c.spec.targetRef.name = 'missing';
    });
    await assert.rejects(
      initializePrimary({ settings, canaryUid }),
      invalid(new RegExp(`^Deployment missing\\.${ns} not found: spec\\.targetRef must name an existing Deployment`)),
    );
  });

  it('fails for good when the target has no selector label Flagger recognises', async () => {
    const d = podinfo(ns);
    d.metadata = { name: 'unlabelled', namespace: ns };
    if (d.spec) {
      d.spec.selector = { matchLabels: { tier: 'web' } };
      d.spec.template.metadata = { labels: { tier: 'web' } };
    }
    await apps.createNamespacedDeployment({ namespace: ns, body: d });
    const { settings, canaryUid } = await createSeedCanary(kc, ns, (c) => {
      c.metadata.name = 'unlabelled';
      c.spec.targetRef.name = 'unlabelled';
    });
    await assert.rejects(
      initializePrimary({ settings, canaryUid }),
      invalid(
        new RegExp(`^deployment unlabelled\\.${ns} spec\\.selector\\.matchLabels must contain one of \\[app name app\\.kubernetes\\.io/name\\]$`),
      ),
    );
  });

  it('takes over an existing apex Service: selector and ports set, its metadata and NodePort kept', async () => {
    await createWorkload(kc, ns, { hpa: false });
    await core.createNamespacedService({
      namespace: ns,
      body: {
        metadata: { name: 'podinfo', labels: { owner: 'helm' }, annotations: { note: 'mine' } },
        spec: { type: 'NodePort', selector: { app: 'podinfo' }, ports: [{ name: 'http', port: 80, targetPort: 9898 }] },
      },
    });
    const nodePort = (await core.readNamespacedService({ name: 'podinfo', namespace: ns })).spec?.ports?.[0]?.nodePort;
    const { settings, canaryUid } = await createSeedCanary(kc, ns, (c) => {
      delete c.spec.autoscalerRef;
    });
    await initializePrimary({ settings, canaryUid });
    const svc = await core.readNamespacedService({ name: 'podinfo', namespace: ns });
    assert.deepEqual(svc.spec?.selector, { app: 'podinfo-primary' });
    assert.equal(svc.spec?.ports?.[0]?.nodePort, nodePort);
    assert.deepEqual(svc.metadata?.labels, { owner: 'helm' });
    assert.deepEqual(svc.metadata?.annotations, { note: 'mine' });
    assert.equal(svc.metadata?.ownerReferences, undefined, 'a taken-over Service is not owned');
    const rv = svc.metadata?.resourceVersion;
    await initializePrimary({ settings, canaryUid });
    assert.equal((await core.readNamespacedService({ name: 'podinfo', namespace: ns })).metadata?.resourceVersion, rv);

    // On deletion with revertOnDeletion: back at the target's pods (no kubectl record here), once.
    assert.equal(await revertApexService({ settings }), `Service podinfo.${ns} selects {"app":"podinfo"} again`);
    assert.deepEqual((await core.readNamespacedService({ name: 'podinfo', namespace: ns })).spec?.selector, { app: 'podinfo' });
    assert.equal(await revertApexService({ settings }), undefined);
  });

  it('leaves an apex Service the Canary created to garbage collection', async () => {
    const { settings, canaryUid } = await createSeedCanary(kc, ns, (c) => {
      c.metadata.name = 'owned';
      delete c.spec.autoscalerRef;
      if (c.spec.service) c.spec.service.name = 'owned';
    });
    await initializePrimary({ settings, canaryUid });
    assert.deepEqual((await core.readNamespacedService({ name: 'owned', namespace: ns })).spec?.selector, { app: 'podinfo-primary' });
    assert.equal(await revertApexService({ settings }), undefined);
    assert.deepEqual((await core.readNamespacedService({ name: 'owned', namespace: ns })).spec?.selector, { app: 'podinfo-primary' });
  });
});

describe('appliedSelector', () => {
  const service = (applied: string | undefined): k8s.V1Service => ({
    metadata: { annotations: applied === undefined ? {} : { 'kubectl.kubernetes.io/last-applied-configuration': applied } },
  });

  it('reads the selector kubectl last applied', () => {
    assert.deepEqual(appliedSelector(service(JSON.stringify({ spec: { selector: { app: 'web', tier: 'front' } } }))), { app: 'web', tier: 'front' });
  });

  it('ignores a missing, unparsable or selector-less record', () => {
    assert.equal(appliedSelector(service(undefined)), undefined);
    assert.equal(appliedSelector(service('{not json')), undefined);
    assert.equal(appliedSelector(service(JSON.stringify({ spec: {} }))), undefined);
    assert.equal(appliedSelector(service(JSON.stringify({ spec: { selector: { app: 3 } } }))), undefined);
  });
});
