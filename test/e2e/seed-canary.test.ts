// The seed walkthrough end to end, with Perch's worker and watcher as separate processes: bootstrap,
// an automated promotion under load, and automated rollbacks on errors and on latency.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { canaryEvents, inOrder } from '../support/events';
import { Scenario } from '../support/scenario';
import { SEED_NAMESPACE, TEST_INTERVALS } from '../support/seed';
import { eventually } from '../support/stack';
import { isAvailable } from '../support/workloads';

describe('seed walkthrough: Contour canary deployments', () => {
  const s = new Scenario(SEED_NAMESPACE);
  const ns = s.namespace;

  before(() => s.given());
  after(() => s.tearDown());

  it('bootstraps exactly the seed generated objects', async () => {
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
    await s.apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: ns });
    await s.kc.makeApiClient(k8s.AutoscalingV2Api).readNamespacedHorizontalPodAutoscaler({ name: 'podinfo-primary', namespace: ns });
    const services = (await s.core.listNamespacedService({ namespace: ns })).items.map((x) => x.metadata?.name).sort();
    assert.deepEqual(services, ['podinfo', 'podinfo-canary', 'podinfo-primary']);
    assert.deepEqual(await s.weights(), [100, 0]);
    await eventually('podinfo scaled to zero', 60_000, () => isAvailable(s.apps, ns, 'podinfo', 0));
    await eventually('podinfo-primary available', 60_000, () => isAvailable(s.apps, ns, 'podinfo-primary', 2));
    await eventually('HTTPProxy podinfo valid', 30_000, async () => ((await s.proxies.status(ns, 'podinfo')) === 'valid' ? true : undefined));
    const events = await canaryEvents(s.kc, ns, 'podinfo');
    assert.ok(events.includes('Initialization done! podinfo.test'), events.join('\n'));
    assert.ok(events.includes('all the metrics providers are available!'), events.join('\n'));
  });

  it('promotes 6.0.1 step by step under load', async () => {
    const started = await s.whenImageChanges('6.0.1');
    await s.thenPhase('Succeeded', { since: started });
    const problem = inOrder(s.messages(), [
      'New revision detected! Scaling up podinfo.test',
      /^Waiting for podinfo\.test rollout to finish: \d of \d updated replicas are available$/,
      'Pre-rollout check acceptance-test passed',
      ...[5, 10, 15, 20, 25, 30, 35, 40, 45, 50].map((w) => `Advance podinfo.test canary weight ${w}`),
      'Copying podinfo.test template spec to podinfo-primary.test',
      /^Waiting for podinfo-primary\.test rollout to finish: \d of \d updated replicas are available$/,
      'Routing all traffic to primary',
      'Promotion completed! Scaling down podinfo.test',
    ]);
    assert.equal(problem, undefined, problem);
    const described = await canaryEvents(s.kc, ns, 'podinfo');
    assert.ok(described.includes('Promotion completed! Scaling down podinfo.test'), 'the Kubernetes Events carry the same texts');
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.1');
    assert.deepEqual(await s.weights(), [100, 0]);
    // Figures for the record, from the worker's own log timestamps.
    const at = (text: string) => s.perch.logRecords(s.canaryId).find((r) => r.msg === text)?.ts ?? NaN;
    const detected = at('New revision detected! Scaling up podinfo.test');
    const first = at('Advance podinfo.test canary weight 5');
    const promoted = at('Promotion completed! Scaling down podinfo.test');
    const interval = Number.parseInt(TEST_INTERVALS.analysis, 10);
    console.log(`# set image -> "New revision detected": ${detected - started} ms`);
    console.log(
      `# weight 5 -> promotion completed: ${((promoted - first) / 1000).toFixed(1)} s for 10 steps (ideal 10 x ${interval}s = ${10 * interval}s, plus the primary's rollout)`,
    );
    console.log(`# set image -> promotion completed: ${((promoted - started) / 1000).toFixed(1)} s`);
  });

  it('rolls 6.0.2 back when the success rate drops under /status/500 traffic', async () => {
    const failed = await s.whenImageChangesUnderTraffic('6.0.2', '/status/500', 25, 'Failed');
    assert.equal(failed.status?.canaryWeight, 0);
    const problem = inOrder(s.messages(), [
      /^Halt podinfo\.test advancement success rate \d+(\.\d+)?% < 99%$/,
      'Rolling back podinfo.test failed checks threshold reached 5',
      'Canary failed! Scaling down podinfo.test',
    ]);
    assert.equal(problem, undefined, problem);
    assert.deepEqual(await s.weights(), [100, 0]);
    await eventually('podinfo scaled to zero', 60_000, () => isAvailable(s.apps, ns, 'podinfo', 0));
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.1');
  });

  it('rolls 6.0.3 back when the request duration rises under /delay/1 traffic', async () => {
    const traffic = s.traffic('/delay/1', 10);
    try {
      const since = await s.whenImageChanges('6.0.3');
      await s.thenWeight(5, since);
      await s.thenPhase('Failed', { since });
    } finally {
      await traffic.stop();
    }
    const problem = inOrder(s.messages().slice(s.messages().lastIndexOf('New revision detected! Scaling up podinfo.test')), [
      /^Halt podinfo\.test advancement request duration \d+(\.\d+)?m?s > 500ms$/,
      'Rolling back podinfo.test failed checks threshold reached 5',
      'Canary failed! Scaling down podinfo.test',
    ]);
    assert.equal(problem, undefined, problem);
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.1');
  });
});
