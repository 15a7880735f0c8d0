// Steering a running rollout through its workflow: pause holds the weight, resume continues, abort
// rolls back at once, promote finishes at once; the state query explains every check.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { abortSignal, pauseSignal, promoteSignal, reconcileSignal, resumeSignal } from '../../src/workflows/messages';
import * as k8s from '@kubernetes/client-node';
import { CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../../src/api/canary';
import { Scenario } from '../support/scenario';
import { TEST_INTERVALS } from '../support/seed';

const intervalMs = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('controlling a rollout', () => {
  const s = new Scenario('e2e-controls');

  before(async () => {
    assert.equal(TEST_INTERVALS.analysis, `${intervalMs / 1000}s`);
    await s.setUp();
    await s.waitForPhase('Initialized', 120_000);
  });
  after(() => s.tearDown());

  it('pauses across two intervals, answers the state query, and resumes to promotion', async () => {
    const since = await s.setImage('6.0.1');
    await s.waitForWeight(10, since);
    const wf = await s.workflow();
    await wf.signal(pauseSignal);
    // The pause takes hold at the end of the current interval.
    await sleep(intervalMs + 1_000);
    const held = (await s.canary()).status?.canaryWeight;
    await sleep(2 * intervalMs);
    assert.equal((await s.canary()).status?.canaryWeight, held, 'the weight did not move while paused');

    // A change notice that is not a new revision leaves the pause alone (and the workflow responsive).
    await wf.signal(reconcileSignal, { reason: 'test' });
    await sleep(1_000);
    const view = await s.view();
    assert.equal(view.paused, true);
    assert.equal(view.phase, 'Progressing');
    assert.equal(view.canaryWeight, held);
    const success = view.checks['request-success-rate'];
    assert.ok(success, JSON.stringify(view.checks));
    assert.equal(success.kind, 'metric');
    assert.equal(typeof success.value, 'number');
    assert.match(success.threshold ?? '', /99/);
    assert.match(success.query ?? '', /envoy_cluster_upstream_rq\{envoy_cluster_name=~"e2e-controls_podinfo-canary_/);

    await wf.signal(resumeSignal);
    await s.waitForPhase('Succeeded');
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.1');
  });

  it('rolls back within one interval of an abort', async () => {
    const since = await s.setImage('6.0.2');
    await s.waitForWeight(10, since);
    const aborted = Date.now();
    await (await s.workflow()).signal(abortSignal);
    await s.waitForPhase('Failed', 60_000);
    const tookMs = Date.now() - aborted;
    assert.ok(tookMs < intervalMs, `rolled back ${tookMs} ms after the abort`);
    assert.deepEqual(await s.weights(), [100, 0]);
    assert.ok(s.messages().includes(`Rolling back ${s.canaryId} abort requested`));
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.1');
  });

  it('promotes at once on request, skipping the remaining steps', async () => {
    const since = await s.setImage('6.0.3');
    await s.waitForWeight(5, since);
    const requested = Date.now();
    await (await s.workflow()).signal(promoteSignal);
    await s.waitForPhase('Succeeded', 60_000);
    const c = await s.canary();
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.3');
    const msgs = s.messages();
    const advances = msgs.slice(msgs.lastIndexOf(`New revision detected! Scaling up ${s.canaryId}`))
      .filter((m) => m.startsWith(`Advance ${s.canaryId} canary weight`));
    assert.ok(advances.length < 10, `advanced ${advances.length} times before promoting`);
    assert.equal(c.status?.canaryWeight, 0);
    console.log(`# promote signal -> Succeeded in ${Date.now() - requested} ms`);
  });

  it('promotes without analysis when skipAnalysis is set', async () => {
    await s.kc.makeApiClient(k8s.CustomObjectsApi).patchNamespacedCustomObject({
      group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL, namespace: s.namespace, name: 'podinfo',
      body: { spec: { skipAnalysis: true } },
    }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await new Promise((r) => setTimeout(r, 1_000));
    await s.setImage('6.0.4');
    await s.waitForPhase('Progressing', 30_000);
    await s.waitForPhase('Succeeded', 60_000);
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.4');
    const msgs = s.messages();
    const run = msgs.slice(msgs.lastIndexOf(`New revision detected! Scaling up ${s.canaryId}`));
    assert.ok(run.includes(`Promotion completed! Canary analysis was skipped for ${s.canaryId}`), run.join('\n'));
    assert.ok(!run.some((m) => m.startsWith(`Advance ${s.canaryId} canary weight`)), 'no weight steps');
  });
});
