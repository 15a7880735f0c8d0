// Every webhook type against real receivers on loopback and the stack's Flagger load tester: what is
// sent (payload, phase, metadata), when, and what each answer does to the rollout. One Canary, one
// rollout per scenario, each with the webhooks it needs and no metrics (the hooks are the analysis).
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { type CanaryAnalysis, type CanaryWebhook } from '../../src/api/canary';
import { approveSignal, type RolloutView } from '../../src/workflows/messages';
import { inOrder } from '../support/events';
import { closeGate, closeRollback, gateCheckUrl, openGate, openRollback, rollbackCheckUrl } from '../support/loadtester';
import { Receiver } from '../support/receiver';
import { rolloutBegan, Scenario } from '../support/scenario';
import { TEST_INTERVALS } from '../support/seed';
import { eventually } from '../support/stack';

const ns = 'e2e-webhooks';
const intervalMs = Number.parseInt(TEST_INTERVALS.analysis, 10) * 1000;

interface Payload {
  name: string;
  namespace: string;
  phase: string;
  checksum: string;
  metadata?: Record<string, string>;
}

describe('webhooks', () => {
  const s = new Scenario(ns);
  const id = `podinfo.${ns}`;
  // Each test gets a receiver of its own (freshReceiver): what one test's rollout sent cannot answer another's wait.
  let rx: Receiver;

  before(async () => {
    await s.given();
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
  });
  /** A receiver for this test alone (closed when it ends), with the load tester's gates closed. */
  async function freshReceiver(t: TestContext): Promise<Receiver> {
    const r = await Receiver.start();
    t.after(() => r.close());
    await closeGate('podinfo', ns);
    await closeRollback('podinfo', ns);
    return r;
  }
  after(async () => {
    await closeGate('podinfo', ns).catch(() => undefined);
    await closeRollback('podinfo', ns).catch(() => undefined);
    await s.tearDown();
  });

  /** When the Canary gets two weight steps (10, 20), no metrics, `threshold` failed checks allowed, and these hooks. */
  async function whenHooksAre(webhooks: CanaryWebhook[], edit: Partial<CanaryAnalysis> = {}): Promise<void> {
    await s.whenSpecChanges((c) => {
      c.spec.analysis = { interval: TEST_INTERVALS.analysis, threshold: 2, stepWeight: 10, maxWeight: 20, metrics: [], webhooks, ...edit };
    });
  }

  /**
   * What the worker said (every Event's text, in order) since `since`, from its log. Kubernetes
   * Events keep one copy of a repeated text (with a count), so they cannot show order within a rollout.
   */
  const said = (since: number): string[] =>
    s.perch
      .logRecords(id)
      .filter((r) => r.ts >= since)
      .map((r) => r.msg);
  const waitFor = (text: string | RegExp, since: number, timeoutMs = 120_000) =>
    eventually(`"${String(text)}"`, timeoutMs, () =>
      Promise.resolve(said(since).find((m) => (typeof text === 'string' ? m === text : text.test(m)))),
    );
  const re = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  const targetReplicas = async () => (await s.apps.readNamespacedDeployment({ name: 'podinfo', namespace: ns })).spec?.replicas ?? 0;

  // One rollout through every gate, its steps in turn (each step goes on from where the last left it).
  it('a gated rollout: pre-rollout, rollout, confirm-traffic-increase, confirm-promotion, post-rollout', async (t) => {
    rx = await freshReceiver(t);
    rx.on('/pre', { status: 200, body: 'smoke ok' });
    rx.on('/load', { status: 202 });
    rx.on('/promote', { status: 403, body: 'not yet' });
    rx.on('/post', { status: 200 });
    await whenHooksAre([
      { name: 'smoke', type: 'pre-rollout', url: rx.url('/pre'), metadata: { suite: 'smoke' } },
      { name: 'load', type: 'rollout', url: rx.url('/load'), metadata: { cmd: 'hey -z 5s' } },
      { name: 'traffic-gate', type: 'confirm-traffic-increase', url: gateCheckUrl },
      { name: 'promotion-gate', type: 'confirm-promotion', url: rx.url('/promote') },
      { name: 'notify', type: 'post-rollout', url: rx.url('/post') },
    ]);
    const since = await s.whenImageChanges('6.0.1');

    await t.test('calls pre-rollout once with the Progressing payload', async () => {
      const [pre] = await eventually('pre-rollout call', 120_000, () => {
        const b = rx.bodies<Payload>('/pre', since);
        return Promise.resolve(b.length ? b : undefined);
      });
      assert.deepEqual(
        { ...pre, checksum: typeof pre?.checksum },
        { name: 'podinfo', namespace: ns, phase: 'Progressing', checksum: 'string', metadata: { suite: 'smoke' } },
      );
      assert.ok(pre?.checksum, 'a checksum identifies the revision');
      await waitFor('Pre-rollout check smoke passed', since);
      assert.equal(rx.to('/pre', since)[0]?.headers['content-type'], 'application/json');
    });

    await t.test('holds the weight while confirm-traffic-increase is closed, and advances once it opens', async () => {
      await waitFor(`Halt ${id} advancement waiting for traffic increase approval traffic-gate`, since);
      // Two more intervals go by with the gate closed: it is asked twice more.
      await s.thenHookCalled('traffic-gate', (await s.thenHookCalled('traffic-gate', 1)) + 2);
      const c = await s.canary();
      assert.equal(c.status?.phase, 'Progressing');
      assert.equal(c.status?.canaryWeight, 0, 'no traffic increase without approval');
      assert.equal(c.status?.failedChecks, 0, 'waiting is not a failed check');
      assert.deepEqual(await s.weights(), [100, 0]);
      await openGate('podinfo', ns);
      await s.thenWeight(10, since, 60_000);
      await s.thenWeight(20, since, 60_000);
      assert.ok(said(since).includes('Confirm-traffic-increase check traffic-gate passed'));
    });

    await t.test('holds in WaitingPromotion while confirm-promotion is closed, still calling the rollout hook each interval', async () => {
      await waitFor(`Halt ${id} advancement waiting for promotion approval promotion-gate`, since);
      const c = await s.thenPhase('WaitingPromotion', { since, timeoutMs: 60_000 });
      assert.ok((c.status?.failedChecks ?? 0) === 0);
      // Two more intervals: the rollout hook is called twice more, the gate asked twice more.
      const calls = rx.to('/load', since).length;
      await eventually('two more rollout hook calls', 60_000, () => Promise.resolve(rx.to('/load', since).length >= calls + 2 || undefined));
      await s.thenHookCalled('promotion-gate', (await s.thenHookCalled('promotion-gate', 1)) + 1);
      assert.equal((await s.canary()).status?.phase, 'WaitingPromotion');
    });

    await t.test('calls the rollout hook every interval with the Progressing payload', () => {
      const bodies = rx.bodies<Payload>('/load', since);
      assert.ok(bodies.length >= 4, `${bodies.length} calls`);
      for (const b of bodies) {
        assert.deepEqual(b, { name: 'podinfo', namespace: ns, phase: 'Progressing', checksum: bodies[0]?.checksum, metadata: { cmd: 'hey -z 5s' } });
      }
      const times = rx.to('/load', since).map((r) => r.at);
      const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
      assert.ok(
        gaps.every((g) => g > intervalMs / 2),
        `one call per interval, gaps ${gaps.join(', ')} ms`,
      );
    });

    await t.test('promotes once confirm-promotion answers yes, then calls post-rollout with Succeeded', async () => {
      rx.on('/promote', { status: 200, body: 'go' });
      await s.thenPhase('Succeeded', { since, timeoutMs: 120_000 });
      assert.ok(said(since).includes('Confirm-promotion check promotion-gate passed'));
      const post = await rx.waitFor<Payload>('post-rollout Succeeded', '/post', (b) => b.phase === 'Succeeded', 30_000, since);
      assert.equal(post.name, 'podinfo');
      assert.equal(rx.bodies<Payload>('/post', since).length, 1);
      assert.equal(rx.bodies<Payload>('/pre', since).length, 1, 'pre-rollout runs once per rollout');
      assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.1');
    });
  });

  it('confirm-rollout: Waiting without scaling up while the gate is closed; the rollout starts when it opens', async (t) => {
    rx = await freshReceiver(t);
    await whenHooksAre([{ name: 'rollout-gate', type: 'confirm-rollout', url: gateCheckUrl }]);
    const since = await s.whenImageChanges('6.0.2');
    try {
      await waitFor(`Halt ${id} advancement waiting for approval rollout-gate`, since);
      await s.thenPhase('Waiting', { since, timeoutMs: 60_000 });
      // Two more intervals with the gate closed: it is asked twice more.
      await s.thenHookCalled('rollout-gate', (await s.thenHookCalled('rollout-gate', 1)) + 2);
      assert.equal((await s.canary()).status?.phase, 'Waiting');
      assert.equal(await targetReplicas(), 0, 'the canary is not scaled up while waiting');
      const waiting = said(since).filter((e) => e === `Halt ${id} advancement waiting for approval rollout-gate`);
      assert.equal(waiting.length, 1, 'the wait is announced once');
      await openGate('podinfo', ns);
      await s.thenPhase('Progressing', { since, timeoutMs: 60_000 });
      await s.thenPhase('Succeeded', { since });
    } finally {
      await closeGate('podinfo', ns);
    }
    const problem = inOrder(said(since), [
      `Halt ${id} advancement waiting for approval rollout-gate`,
      'Confirm-rollout check rollout-gate passed',
      `New revision detected! Scaling up ${id}`,
      `Promotion completed! Scaling down ${id}`,
    ]);
    assert.equal(problem, undefined, problem);
  });

  it('the approve signal opens each closed gate once, in place of the gate URL', async (t) => {
    rx = await freshReceiver(t);
    await whenHooksAre([
      { name: 'rollout-gate', type: 'confirm-rollout', url: gateCheckUrl },
      { name: 'traffic-gate', type: 'confirm-traffic-increase', url: gateCheckUrl },
      { name: 'promotion-gate', type: 'confirm-promotion', url: gateCheckUrl },
    ]);
    const since = await s.whenImageChanges('6.0.3');
    // Each wait is announced once; one approval per announced wait, for the gate the query names.
    const announced = () => said(since).filter((m) => /^Halt \S+ advancement waiting for (traffic increase |promotion )?approval /.test(m)).length;
    const approved: string[] = [];
    const staleGates: string[] = [];
    await eventually('promotion through approvals', 240_000, async () => {
      const v: RolloutView = await s.view();
      if (v.phase === 'Succeeded' && v.rolloutStartedAt === undefined && (rolloutBegan(v) ?? 0) >= since) return true;
      // Past the promotion gate the rollout waits at no gate.
      if (['Promoting', 'Finalising', 'Succeeded'].includes(v.phase) && v.waitingFor !== undefined) staleGates.push(`${v.phase}: ${v.waitingFor}`);
      if (v.waitingFor !== undefined && announced() > approved.length) {
        approved.push(`${v.waitingFor}@${v.canaryWeight}`);
        await (await s.workflow()).signal(approveSignal);
      }
      return undefined;
    });
    assert.deepEqual(approved, ['confirm-rollout@0', 'confirm-traffic-increase@0', 'confirm-traffic-increase@10', 'confirm-promotion@20']);
    assert.deepEqual([...new Set(staleGates)], [], 'the state query names no gate once the promotion gate opened');
    const problem = inOrder(said(since), [
      `Halt ${id} advancement waiting for approval rollout-gate`,
      `New revision detected! Scaling up ${id}`,
      `Halt ${id} advancement waiting for traffic increase approval traffic-gate`,
      `Advance ${id} canary weight 10`,
      `Advance ${id} canary weight 20`,
      `Halt ${id} advancement waiting for promotion approval promotion-gate`,
      `Promotion completed! Scaling down ${id}`,
    ]);
    assert.equal(problem, undefined, problem);
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.3');
  });

  it('pre-rollout failing with 500 fails a check whose Event carries the body, rolls back at the threshold, and posts every Event', async (t) => {
    rx = await freshReceiver(t);
    const body = 'smoke test failed: database unreachable';
    rx.on('/pre', { status: 500, body });
    rx.on('/post', { status: 200 });
    rx.on('/events', { status: 200 });
    const primary = await s.primaryImage();
    await whenHooksAre([
      { name: 'smoke', type: 'pre-rollout', url: rx.url('/pre') },
      { name: 'notify', type: 'post-rollout', url: rx.url('/post') },
      { name: 'audit', type: 'event', url: rx.url('/events'), metadata: { team: 'storefront' } },
    ]);
    const since = await s.whenImageChanges('6.0.4');
    const failed = await s.thenPhase('Failed', { since });
    assert.equal(failed.status?.canaryWeight, 0);
    const events = said(since);
    const halts = events.filter((e) => e.startsWith(`Halt ${id} advancement pre-rollout check smoke failed`));
    assert.ok(halts.length >= 1 && halts.every((e) => e.includes(body)), events.join('\n'));
    assert.equal(rx.to('/pre', since).length, 2, 'called once per interval until the threshold of 2');
    const problem = inOrder(events, [
      re(`Halt ${id} advancement pre-rollout check smoke failed`),
      `Rolling back ${id} failed checks threshold reached 2`,
      `Canary failed! Scaling down ${id}`,
    ]);
    assert.equal(problem, undefined, problem);
    await eventually('canary scaled to zero', 60_000, async () => ((await targetReplicas()) === 0 ? true : undefined));
    assert.equal(await s.primaryImage(), primary, 'the primary kept its revision');
    await rx.waitFor<Payload>('post-rollout Failed', '/post', (b) => b.phase === 'Failed', 30_000, since);

    // The event hook got every Event of this rollout, with the hook's metadata and the event's own.
    const recorded = await s.rolloutEvents(since);
    assert.ok(recorded.includes(`Canary failed! Scaling down ${id}`), recorded.join('\n'));
    const posted = await eventually('event hook caught up', 30_000, () => {
      const got = rx.bodies<Payload>('/events', since);
      const texts = new Set(got.map((b) => b.metadata?.eventMessage));
      return Promise.resolve(recorded.every((e) => texts.has(e)) ? got : undefined);
    }).catch(() => rx.bodies<Payload>('/events', since));
    const texts = posted.map((b) => b.metadata?.eventMessage);
    for (const e of recorded) assert.ok(texts.includes(e), `event hook missed "${e}"; got:\n  ${texts.join('\n  ')}`);
    for (const b of posted) {
      assert.equal(b.name, 'podinfo');
      assert.equal(b.namespace, ns);
      assert.equal(b.metadata?.team, 'storefront');
      const warning = /^(Halt|Rolling back|Canary failed)/.test(b.metadata?.eventMessage ?? '');
      assert.equal(b.metadata?.eventType, warning ? 'Warning' : 'Normal', b.metadata?.eventMessage);
      const ts = Number(b.metadata?.timestamp);
      assert.ok(Number.isInteger(ts) && Math.abs(ts - Date.now()) < 10 * 60_000, `timestamp ${b.metadata?.timestamp}`);
      assert.equal(typeof b.phase, 'string');
    }
    const failedPosts = posted.filter((b) => b.metadata?.eventMessage === `Canary failed! Scaling down ${id}`);
    assert.ok(failedPosts.length === 1, JSON.stringify(failedPosts));
  });

  it('rollback: opening the rollback gate rolls the rollout back, then post-rollout gets Failed', async (t) => {
    rx = await freshReceiver(t);
    rx.on('/post', { status: 200 });
    await whenHooksAre(
      [
        { name: 'rollback-gate', type: 'rollback', url: rollbackCheckUrl },
        { name: 'notify', type: 'post-rollout', url: rx.url('/post') },
      ],
      { maxWeight: 50 },
    );
    const since = await s.whenImageChanges('6.0.5');
    try {
      await s.thenWeight(10, since);
      // One more interval with the gate closed: it is asked once more, and the rollout goes on.
      await s.thenHookCalled('rollback-gate', (await s.thenHookCalled('rollback-gate', 1)) + 1);
      assert.equal((await s.canary()).status?.phase, 'Progressing', 'a closed rollback gate asks for nothing');
      await openRollback('podinfo', ns);
      await s.thenPhase('Failed', { since, timeoutMs: 60_000 });
    } finally {
      await closeRollback('podinfo', ns);
    }
    const problem = inOrder(said(since), [
      'Rollback check rollback-gate passed',
      `Rolling back ${id} manual webhook invoked`,
      `Canary failed! Scaling down ${id}`,
    ]);
    assert.equal(problem, undefined, problem);
    assert.deepEqual(await s.weights(), [100, 0]);
    const post = await rx.waitFor<Payload>('post-rollout Failed', '/post', (b) => b.phase === 'Failed', 30_000, since);
    assert.equal(post.namespace, ns);
    assert.equal(rx.bodies<Payload>('/post', since).length, 1);
  });

  it('honours retries and timeout, and counts 203 as a failure (> 202)', async (t) => {
    rx = await freshReceiver(t);
    // flaky: 500, 500, then 200; with retries: 2 the third attempt passes.
    let flakyCalls = 0;
    rx.on('/flaky', () => (++flakyCalls <= 2 ? { status: 500, body: 'warming up' } : { status: 200, body: 'ok' }));
    // slow: the first answer comes after 3s, beyond the hook's 1s timeout; later ones at once.
    let slowCalls = 0;
    rx.on('/slow', () => (++slowCalls === 1 ? { status: 200, delayMs: 3_000 } : { status: 200 }));
    // picky: 203 Non-Authoritative Information once, then 202.
    let pickyCalls = 0;
    rx.on('/picky', () => (++pickyCalls === 1 ? { status: 203, body: 'non-authoritative answer' } : { status: 202 }));
    await whenHooksAre(
      [
        { name: 'flaky', type: 'pre-rollout', url: rx.url('/flaky'), retries: 2 },
        { name: 'slow', type: 'rollout', url: rx.url('/slow'), timeout: '1s' },
        { name: 'picky', type: 'rollout', url: rx.url('/picky') },
      ],
      { threshold: 3 },
    );
    const since = await s.whenImageChanges('6.0.6');
    const done = await s.thenPhase('Succeeded', { since, timeoutMs: 240_000 });
    assert.equal(done.status?.phase, 'Succeeded');
    assert.equal(rx.to('/flaky', since).length, 3, 'two retries after the first attempt');
    const events = said(since);
    const problem = inOrder(events, [
      'Pre-rollout check flaky passed',
      `Advance ${id} canary weight 10`,
      new RegExp(`${re(`Halt ${id} advancement external check slow failed`).source} .*timeout`, 'i'),
      `Halt ${id} advancement external check picky failed non-authoritative answer`,
      `Advance ${id} canary weight 20`,
      `Promotion completed! Scaling down ${id}`,
    ]);
    assert.equal(problem, undefined, problem);
    assert.equal(rx.to('/slow', since).length >= 3 && slowCalls >= 3, true);
  });
});
