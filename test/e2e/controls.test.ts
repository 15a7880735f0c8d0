// Steering a running rollout through its workflow: pause holds the weight, resume continues, abort
// rolls back at once, promote finishes at once; the state query explains every check.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { abortSignal, pauseSignal, promoteSignal, reconcileSignal, resumeSignal } from '../../src/workflows/messages';
import { Scenario } from '../support/scenario';
import { TEST_INTERVALS } from '../support/seed';

const intervalMs = 5_000;

describe('controlling a rollout', () => {
  const s = new Scenario('e2e-controls');

  before(async () => {
    assert.equal(TEST_INTERVALS.analysis, `${intervalMs / 1000}s`);
    await s.given();
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
  });
  after(() => s.tearDown());

  it('pauses, answers the state query, and resumes to promotion', async () => {
    const since = await s.whenImageChanges('6.0.1');
    await s.thenWeight(10, since);
    await s.whenSignalled(pauseSignal);
    try {
      // Paused, the workflow waits for a signal and nothing else: no interval is timed, no check runs.
      const held = await s.thenIdle();
      assert.equal(held.paused, true);
      assert.ok(held.canaryWeight >= 10, `held at ${held.canaryWeight}`);
      assert.equal((await s.canary()).status?.canaryWeight, held.canaryWeight, 'the status shows the weight held');

      // A change notice that is not a new revision leaves the pause alone (and the workflow responsive).
      await s.whenSignalled(reconcileSignal, { reason: 'test' });
      const view = await s.thenIdle();
      assert.equal(view.paused, true);
      assert.equal(view.phase, 'Progressing');
      assert.equal(view.canaryWeight, held.canaryWeight);
      const success = view.checks['request-success-rate'];
      assert.ok(success, JSON.stringify(view.checks));
      assert.equal(success.kind, 'metric');
      assert.equal(typeof success.value, 'number');
      assert.match(success.threshold ?? '', /99/);
      assert.match(success.query ?? '', /envoy_cluster_upstream_rq\{envoy_cluster_name=~"e2e-controls_podinfo-canary_/);
    } finally {
      await s.whenSignalled(resumeSignal);
    }
    await s.thenPhase('Succeeded', { since });
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.1');
  });

  // That the abort does not wait for the next tick is proved on workflow time, where the clock
  // cannot drift with the machine's load: test/workflows/abort.test.ts.
  it('rolls back on an abort, keeping the primary on its revision', async () => {
    const primary = await s.primaryImage();
    const since = await s.whenImageChanges('6.0.2');
    await s.thenWeight(10, since);
    await (await s.workflow()).signal(abortSignal);
    await s.thenPhase('Failed', { since, timeoutMs: 60_000 });
    assert.deepEqual(await s.weights(), [100, 0]);
    assert.ok(s.messages().includes(`Rolling back ${s.canaryId} abort requested`));
    assert.equal(await s.primaryImage(), primary, 'the primary kept its revision');
  });

  it('promotes at once on request, skipping the remaining steps', async () => {
    const since = await s.whenImageChanges('6.0.3');
    await s.thenWeight(5, since);
    const requested = Date.now();
    await (await s.workflow()).signal(promoteSignal);
    await s.thenPhase('Succeeded', { since, timeoutMs: 60_000 });
    const c = await s.canary();
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.3');
    const events = await s.rolloutEvents(since);
    assert.ok(events.includes(`Promotion completed! Scaling down ${s.canaryId}`), events.join('\n'));
    const advances = events.filter((m) => m.startsWith(`Advance ${s.canaryId} canary weight`));
    assert.ok(advances.length < 10, `advanced ${advances.length} times before promoting`);
    assert.equal(c.status?.canaryWeight, 0);
    console.log(`# promote signal -> Succeeded in ${Date.now() - requested} ms`);
  });

  it('promotes without analysis when skipAnalysis is set', async () => {
    await s.whenSpecChanges((c) => {
      c.spec.skipAnalysis = true;
    });
    try {
      const since = await s.whenImageChanges('6.0.4');
      await s.thenPhase('Succeeded', { since, timeoutMs: 90_000 });
      assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.4');
      const events = await s.rolloutEvents(since);
      assert.ok(events.includes(`Promotion completed! Canary analysis was skipped for ${s.canaryId}`), events.join('\n'));
      assert.ok(!events.some((m) => m.startsWith(`Advance ${s.canaryId} canary weight`)), 'no weight steps');
    } finally {
      await s.whenSpecChanges((c) => {
        delete c.spec.skipAnalysis;
      });
    }
  });
});
