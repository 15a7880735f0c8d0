// Perch survives its own failures: a worker killed with SIGKILL mid-rollout is replaced and the
// rollout ends as it would have, doing no step twice where the cluster can see it; two watchers
// running at once still start one rollout per revision; a worker that starts while Temporal is
// unreachable waits for it instead of exiting.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { canaryEventCounts } from '../support/events';
import { Scenario } from '../support/scenario';
import { eventually } from '../support/stack';
import { hostPort, TcpForwarder } from '../support/tcp-forwarder';

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

  it('carries on with a worker that started while Temporal was unreachable', async () => {
    // Given the only worker started while its way to Temporal is cut
    const way = new TcpForwarder(hostPort(s.perch.temporalAddress));
    await way.open();
    await way.cut();
    try {
      await s.perch.kill('worker', 'SIGKILL');
      s.perch.start('worker', 'worker-late', { TEMPORAL_ADDRESS: way.address });
      const waiting = `cannot reach Temporal at ${way.address}; trying again`;
      await eventually('the worker waiting for Temporal', 60_000, () => Promise.resolve(s.perch.hasLogged('worker-late', waiting) || undefined));
      assert.notEqual(s.perch.pid('worker-late'), undefined, 'the worker is still running');
      // When Temporal becomes reachable and the image changes
      await way.open();
      const since = await s.whenImageChanges('6.0.3');
      // Then that worker runs the rollout to its end
      await s.thenPhase('Succeeded', { since });
      assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.3');
      assert.ok(s.perch.hasLogged('worker-late', 'worker started'), 'the late worker connected');
    } finally {
      await s.perch.kill('worker-late', 'SIGTERM');
      await way.cut();
    }
  });
});
