// The seed walkthrough end to end, with Perch's worker and watcher as separate processes: bootstrap,
// an automated promotion under load, and automated rollbacks on errors and on latency.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { getCanary, waitForPhase } from '../support/canaries';
import { installCrds } from '../support/crds';
import { canaryEvents, inOrder } from '../support/events';
import { HTTPProxies } from '../support/httpproxies';
import { Perch } from '../support/perch';
import { applySeed, SEED_NAMESPACE as ns, TEST_INTERVALS } from '../support/seed';
import { eventually, kubeConfig } from '../support/stack';
import { startTraffic } from '../support/traffic';
import { isAvailable } from '../support/workloads';

describe('seed walkthrough: Contour canary deployments', () => {
  const kc = kubeConfig();
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const proxies = new HTTPProxies(kc);
  const perch = new Perch(ns);

  const setImage = async (tag: string) => {
    await apps.patchNamespacedDeployment({
      name: 'podinfo', namespace: ns,
      body: { spec: { template: { spec: { containers: [{ name: 'podinfod', image: `ghcr.io/stefanprodan/podinfo:${tag}` }] } } } },
    }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch));
    return Date.now();
  };
  // Flagger leaves a zero weight out of the HTTPProxy (Go's omitempty); Contour reads that as 0.
  const weights = async () => (await proxies.get(ns, 'podinfo')).spec.routes?.[0]?.services?.map((s) => s.weight ?? 0);
  const newRevision = async (since: number) => eventually('a new rollout to start', 30_000, async () => {
    const c = await getCanary(kc, ns, 'podinfo');
    return c.status?.phase === 'Progressing' && Date.parse(c.status.lastTransitionTime ?? '') >= since - 1000 ? c : undefined;
  });

  before(async () => {
    await installCrds(kc);
    await core.deleteNamespace({ name: ns }).catch(() => undefined);
    await eventually(`namespace ${ns} gone`, 120_000, async () =>
      (await core.readNamespace({ name: ns }).then(() => false, () => true)) ? true : undefined);
    await core.createNamespace({ body: { metadata: { name: ns } } });
    perch.start('worker');
    perch.start('watcher');
    await applySeed(kc);
  });
  after(async () => { await perch.stop(); });

  it('bootstraps exactly the seed generated objects', async () => {
    await waitForPhase(kc, ns, 'podinfo', 'Initialized', 120_000);
    await apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: ns });
    await kc.makeApiClient(k8s.AutoscalingV2Api).readNamespacedHorizontalPodAutoscaler({ name: 'podinfo-primary', namespace: ns });
    const services = (await core.listNamespacedService({ namespace: ns })).items.map((s) => s.metadata?.name).sort();
    assert.deepEqual(services, ['podinfo', 'podinfo-canary', 'podinfo-primary']);
    assert.deepEqual(await weights(), [100, 0]);
    await eventually('podinfo scaled to zero', 60_000, () => isAvailable(apps, ns, 'podinfo', 0));
    await eventually('podinfo-primary available', 60_000, () => isAvailable(apps, ns, 'podinfo-primary', 2));
    await eventually('HTTPProxy podinfo valid', 30_000, async () => ((await proxies.status(ns, 'podinfo')) === 'valid' ? true : undefined));
    assert.ok((await canaryEvents(kc, ns, 'podinfo')).includes('Initialization done! podinfo.test'));
  });

  it('promotes 6.0.1 step by step under load', async () => {
    const started = await setImage('6.0.1');
    await newRevision(started);
    await waitForPhase(kc, ns, 'podinfo', 'Succeeded', 300_000);
    const events = perch.logMessages('podinfo.test');
    const problem = inOrder(events, [
      'New revision detected! Scaling up podinfo.test',
      'Pre-rollout check acceptance-test passed',
      ...[5, 10, 15, 20, 25, 30, 35, 40, 45, 50].map((w) => `Advance podinfo.test canary weight ${w}`),
      'Copying podinfo.test template spec to podinfo-primary.test',
      'Routing all traffic to primary',
      'Promotion completed! Scaling down podinfo.test',
    ]);
    assert.equal(problem, undefined, problem);
    const described = await canaryEvents(kc, ns, 'podinfo');
    assert.ok(described.includes('Promotion completed! Scaling down podinfo.test'), 'the Kubernetes Events carry the same texts');
    const primary = await apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: ns });
    assert.equal(primary.spec?.template.spec?.containers[0]?.image, 'ghcr.io/stefanprodan/podinfo:6.0.1');
    assert.deepEqual(await weights(), [100, 0]);
    console.log(`# promotion took ${((Date.now() - started) / 1000).toFixed(1)}s (ideal 10 x ${TEST_INTERVALS.analysis})`);
  });

  it('rolls 6.0.2 back when the success rate drops under /status/500 traffic', async () => {
    const traffic = startTraffic('app.example.com', '/status/500', 25);
    try {
      const started = await setImage('6.0.2');
      await newRevision(started);
      const failed = await waitForPhase(kc, ns, 'podinfo', 'Failed', 300_000);
      assert.equal(failed.status?.canaryWeight, 0);
    } finally {
      await traffic.stop();
    }
    const events = perch.logMessages('podinfo.test');
    const problem = inOrder(events, [
      /^Halt podinfo\.test advancement success rate \d+(\.\d+)?% < 99%$/,
      'Rolling back podinfo.test failed checks threshold reached 5',
      'Canary failed! Scaling down podinfo.test',
    ]);
    assert.equal(problem, undefined, problem);
    assert.deepEqual(await weights(), [100, 0]);
    await eventually('podinfo scaled to zero', 60_000, () => isAvailable(apps, ns, 'podinfo', 0));
    const primary = await apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: ns });
    assert.equal(primary.spec?.template.spec?.containers[0]?.image, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  });
});
