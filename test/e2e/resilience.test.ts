// Perch survives its own failures: a worker killed with SIGKILL mid-rollout is replaced and the
// rollout ends as it would have, doing no step twice where the cluster can see it; two watchers
// running at once still start one rollout per revision.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { canaryEventCounts } from '../support/events';
import { Scenario } from '../support/scenario';
import { eventually } from '../support/stack';

const eventCounts = (s: Scenario) => canaryEventCounts(s.kc, s.namespace, 'podinfo');

describe('resilience', () => {
  const s = new Scenario('e2e-resilience');

  before(async () => {
    await s.given();
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
  });
  after(() => s.tearDown());

  it('completes a rollout after its worker is killed with SIGKILL, doing no step twice', async () => {
    const before = await eventCounts(s);
    const more = (after: Map<string, number>, text: string) => (after.get(text) ?? 0) - (before.get(text) ?? 0);
    const since = await s.whenImageChanges('6.0.1');
    await s.thenWeight(15, since);
    // When the worker dies mid-rollout (kill waits until it is gone) and another takes its place
    await s.perch.kill('worker', 'SIGKILL');
    s.perch.start('worker');
    await s.thenPhase('Succeeded', { since });
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.1');
    const counts = await eventCounts(s);
    for (const w of [5, 10, 15, 20, 25, 30, 35, 40, 45, 50]) {
      assert.equal(more(counts, `Advance ${s.canaryId} canary weight ${w}`), 1, `weight ${w} advanced once`);
    }
    assert.equal(more(counts, `Promotion completed! Scaling down ${s.canaryId}`), 1);
    assert.equal(more(counts, `New revision detected! Scaling up ${s.canaryId}`), 1);
  });

  it('starts one rollout per revision with two watchers running', async () => {
    // Given a second watcher that has listed and watches (it says so once its informers synced)
    s.perch.start('watcher', 'watcher-2');
    await eventually('watcher-2 started', 60_000, () => Promise.resolve(s.perch.hasLogged('watcher-2', 'watcher started') || undefined));
    const before = await eventCounts(s);
    const more = (after: Map<string, number>, text: string) => (after.get(text) ?? 0) - (before.get(text) ?? 0);
    // When the image changes
    const since = await s.whenImageChanges('6.0.2');
    await s.thenWeight(5, since);
    await s.thenPhase('Succeeded', { since });
    // Then one rollout ran, not one per watcher
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.2');
    const counts = await eventCounts(s);
    assert.equal(more(counts, `New revision detected! Scaling up ${s.canaryId}`), 1, 'one rollout for 6.0.2');
    assert.equal(more(counts, `Advance ${s.canaryId} canary weight 5`), 1);
    // Both watchers did see the change and forwarded it.
    for (const name of ['watcher', 'watcher-2']) {
      assert.ok(
        s.perch.logMessages(s.canaryId, name).some((m) => m.startsWith('signalled')),
        `${name} signalled`,
      );
    }
  });
});
