// Perch survives its own failures: a worker killed with SIGKILL mid-rollout is replaced and the
// rollout ends as it would have, doing no step twice where the cluster can see it; two watchers
// running at once still start one rollout per revision.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { canaryEventCounts } from '../support/events';
import { Scenario } from '../support/scenario';

const eventCounts = (s: Scenario) => canaryEventCounts(s.kc, s.namespace, 'podinfo');

describe('resilience', () => {
  const s = new Scenario('e2e-resilience');

  before(async () => {
    await s.setUp();
    await s.waitForPhase('Initialized', 120_000);
  });
  after(() => s.tearDown());

  it('completes a rollout after its worker is killed with SIGKILL, doing no step twice', async () => {
    const since = await s.setImage('6.0.1');
    await s.waitForWeight(15, since);
    await s.perch.kill('worker', 'SIGKILL');
    await new Promise((r) => setTimeout(r, 3_000));
    s.perch.start('worker');
    await s.waitForPhase('Succeeded');
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.1');
    const counts = await eventCounts(s);
    for (const w of [5, 10, 15, 20, 25, 30, 35, 40, 45, 50]) {
      assert.equal(counts.get(`Advance ${s.canaryId} canary weight ${w}`), 1, `weight ${w} advanced once`);
    }
    assert.equal(counts.get(`Promotion completed! Scaling down ${s.canaryId}`), 1);
    assert.equal(counts.get(`New revision detected! Scaling up ${s.canaryId}`), 1);
  });

  it('starts one rollout per revision with two watchers running', async () => {
    s.perch.start('watcher', 'watcher-2');
    await new Promise((r) => setTimeout(r, 2_000));
    const since = await s.setImage('6.0.2');
    await s.waitForWeight(5, since);
    await s.waitForPhase('Succeeded');
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.2');
    const counts = await eventCounts(s);
    assert.equal(counts.get(`New revision detected! Scaling up ${s.canaryId}`), 2, 'one rollout for 6.0.1 and one for 6.0.2');
    assert.equal(counts.get(`Advance ${s.canaryId} canary weight 5`), 2);
    // Both watchers did see the change and forwarded it.
    for (const name of ['watcher', 'watcher-2']) {
      assert.ok(s.perch.logMessages(s.canaryId, name).some((m) => m.startsWith('signalled')), `${name} signalled`);
    }
  });
});
