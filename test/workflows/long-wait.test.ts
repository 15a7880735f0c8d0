// A rollout that waits a week for approval (issue 4): its workflow history must stay bounded.
// Temporal warns at 10,240 events per run and fails the run at 51,200; a rollout asking its gate
// every interval for days would pass both unless it continues as new, carrying its state. These
// run the real canaryWorkflow and the real webhook calls (to gates on 127.0.0.1 that the tests
// open and close) on Temporal's time-skipping server, with the cluster faked in memory, so days of
// workflow time pass in a minute or two.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it, type TestContext } from 'node:test';
import { type Client } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { type Canary, type CanaryPhase } from '../../src/api/canary';
import { type CanaryWebhook } from '../../src/api/canary-analysis';
import { HttpWebhookCaller, webhookActivities } from '../../src/activities/webhooks';
import { DEFAULT_LONG_CALL_SLOTS } from '../../src/config';
import { CanaryWorkers } from '../../src/temporal/canary-workers';
import { canaryWorkflowId, reconcileSignal, stateQuery } from '../../src/workflows/messages';
import { type CanaryWorkflowInput } from '../../src/workflows/next-run';
import { Receiver } from '../support/receiver';
import { FakeCluster, type MetricScript, passingMetrics } from '../support/fake-cluster';
import { seedCanary } from '../support/seed';
import { runChain, type RunRecord, startTimeSkipping, until } from '../support/time-skipping';
import { workflowBundlePath } from '../support/workflow-bundle';

const { callWebhook } = webhookActivities(new HttpWebhookCaller());

const DAY_MS = 24 * 3600_000;
/**
 * Long enough that a week of it runs in about two minutes of wall time (some 670 analysed
 * intervals), short enough that a run continues as new many times over the week.
 */
const INTERVAL_MS = 15 * 60_000;
/**
 * Largest history a run may reach. The workflow continues as new once a run passes about 2,000
 * events; one interval's events on top, with room to spare, is still a quarter of Temporal's
 * 10,240-event warning.
 */
const HISTORY_BOUND = 2_500;
const TARGET = 'podinfo';

/** request-duration over its 500 ms maximum for the first `n` measurements, passing afterwards. */
const slowAtFirst =
  (n: number): MetricScript =>
  (metric, nth) =>
    metric === 'request-success-rate' ? 100 : nth <= n ? 900 : 50;

/** One Canary of the seed's, in its own namespace, with its webhooks and one gate on the receiver. */
class GatedRollout {
  readonly workflowId: string;
  readonly fake: FakeCluster;

  constructor(
    readonly receiver: Receiver,
    readonly namespace: string,
    gate: 'confirm-rollout' | 'confirm-promotion',
    metrics: MetricScript,
  ) {
    this.workflowId = canaryWorkflowId(namespace, TARGET);
    const canary: Canary = seedCanary({ analysis: `${INTERVAL_MS / 60_000}m`, metrics: '1m' }, namespace);
    canary.metadata.uid = randomBytes(8).toString('hex');
    const hooks: CanaryWebhook[] = (canary.spec.analysis.webhooks ?? []).map((h) => ({ ...h, url: this.url(h.name) }));
    hooks.push({ name: 'approval', type: gate, url: this.url('gate') });
    canary.spec.analysis.webhooks = hooks;
    receiver.on(this.path('acceptance-test'), { status: 200, body: 'ok' });
    receiver.on(this.path('load-test'), { status: 200, body: 'ok' });
    this.closeGate();
    this.fake = new FakeCluster(canary, metrics);
    this.fake.deployments.set(TARGET, { revision: 'rev-1', image: 'ghcr.io/stefanprodan/podinfo:6.0.0', replicas: 2 });
  }

  path(hook: string): string {
    return `/${this.namespace}/${hook}`;
  }

  url(hook: string): string {
    return this.receiver.url(this.path(hook));
  }

  closeGate(): void {
    this.receiver.on(this.path('gate'), { status: 403, body: 'closed' });
  }

  openGate(): void {
    this.receiver.on(this.path('gate'), { status: 200, body: 'approved' });
  }

  /** Started the way the watcher starts it; answers the first run's ID once the Canary is initialised. */
  async start(client: Client, taskQueue: string): Promise<string> {
    const handle = await client.workflow.signalWithStart('canaryWorkflow', {
      workflowId: this.workflowId,
      taskQueue,
      args: [{ namespace: this.namespace, name: TARGET }],
      signal: reconcileSignal,
      signalArgs: [{ reason: 'test: Canary created' }],
    });
    await until('the Canary to be initialised', 20_000, () => (this.fake.status.phase === 'Initialized' ? true : undefined));
    return handle.signaledRunId;
  }

  /** The user's new image, and the watcher's signal about it. */
  async newRevision(client: Client): Promise<void> {
    this.fake.setImage(TARGET, 'ghcr.io/stefanprodan/podinfo:6.0.1');
    await client.workflow.getHandle(this.workflowId).signal(reconcileSignal, { reason: 'test: new image' });
  }

  /**
   * Lets `days` of workflow time pass, a day at a time. After each day every run so far is within
   * the bound, and the current run still waits at `expect.phase` with the weight and failed checks
   * the rollout had when it got there.
   */
  async waitDays(
    t: TestContext,
    env: TestWorkflowEnvironment,
    firstRunId: string,
    days: number,
    expect: { phase: CanaryPhase; canaryWeight: number; failedChecks: number },
  ): Promise<RunRecord[]> {
    let runs: RunRecord[] = [];
    for (let day = 1; day <= days; day++) {
      await env.sleep(DAY_MS);
      runs = await runChain(env.client, this.workflowId, firstRunId);
      const largest = Math.max(...runs.map((r) => r.historyLength));
      t.diagnostic(`day ${day}: ${runs.length} run(s), current run ${runs.at(-1)?.historyLength} events, largest ${largest}`);
      assert.ok(largest <= HISTORY_BOUND, `day ${day}: a run's history reached ${largest} events (bound ${HISTORY_BOUND}); runs: ${lengths(runs)}`);
      const view = await env.client.workflow.getHandle(this.workflowId).query(stateQuery);
      assert.deepEqual(
        { phase: view.phase, canaryWeight: view.canaryWeight, failedChecks: view.failedChecks },
        expect,
        `day ${day}: the current run's state`,
      );
      assert.equal(this.fake.status.phase, expect.phase, `day ${day}: the Canary's status`);
    }
    return runs;
  }

  /** Promoted: the primary runs the new revision, takes all traffic, and the target is scaled to 0. */
  assertPromoted(): void {
    const { fake } = this;
    assert.equal(fake.status.phase, 'Succeeded');
    assert.equal(fake.deployment(`${TARGET}-primary`)?.revision, fake.deployment(TARGET)?.revision);
    assert.equal(fake.status.lastPromotedSpec, fake.deployment(TARGET)?.revision);
    assert.deepEqual(fake.weights, { primary: 100, canary: 0 });
    assert.equal(fake.deployment(TARGET)?.replicas, 0);
  }
}

const lengths = (runs: RunRecord[]): string => runs.map((r) => r.historyLength).join(', ');
const largestOf = (runs: RunRecord[]): number => Math.max(...runs.map((r) => r.historyLength));
const resumeOf = (r: RunRecord): CanaryWorkflowInput['resume'] => (r.input as CanaryWorkflowInput | undefined)?.resume;

describe('a rollout waiting days for approval (time-skipping server)', () => {
  let env: TestWorkflowEnvironment | undefined;
  let receiver: Receiver;

  before(
    async () => {
      // The SDK's warnings only; webpack's bundle listing is noise.
      Runtime.install({ logger: new DefaultLogger('WARN') });
      receiver = await Receiver.start();
      env = await startTimeSkipping();
    },
    { timeout: 120_000 },
  );

  after(async () => {
    await env?.teardown();
    await receiver.close();
  });

  async function worker(rollout: GatedRollout): Promise<{ worker: CanaryWorkers; taskQueue: string }> {
    const taskQueue = `long-wait-${randomBytes(3).toString('hex')}`;
    const w = await CanaryWorkers.create({
      connection: env!.nativeConnection,
      taskQueue,
      workflows: { workflowBundle: { codePath: workflowBundlePath() } },
      longCallSlots: DEFAULT_LONG_CALL_SLOTS,
      activities: { ...rollout.fake.activities, callWebhook },
    });
    return { worker: w, taskQueue };
  }

  it('keeps every run bounded through 7 days in WaitingPromotion, carries the rollout across runs, then promotes', async (t) => {
    const days = 7;
    const earlyFailures = 2; // the seed's threshold is 5: failed checks worth carrying, no rollback
    const rollout = new GatedRollout(receiver, 'long-wait-promotion', 'confirm-promotion', slowAtFirst(earlyFailures));
    const { fake } = rollout;
    const { worker: w, taskQueue } = await worker(rollout);
    await w.runUntil(async () => {
      const client = env!.client;
      const firstRunId = await rollout.start(client, taskQueue);
      await rollout.newRevision(client);
      const waiting = { phase: 'WaitingPromotion', canaryWeight: 50, failedChecks: earlyFailures } as const;
      const waited = await rollout.waitDays(t, env!, firstRunId, days, waiting);
      const gateCalls = receiver.to(rollout.path('gate')).length;

      rollout.openGate();
      await env!.sleep(2 * INTERVAL_MS);
      await until('promotion', 30_000, () => (fake.status.phase === 'Succeeded' ? true : undefined));
      const runs = await runChain(client, rollout.workflowId, firstRunId);
      t.diagnostic(
        `FIGURES: ${days} days in WaitingPromotion at a ${INTERVAL_MS / 60_000}m interval: ${runs.length} runs, ` +
          `largest history ${largestOf(runs)} events (bound ${HISTORY_BOUND}), gate asked ${gateCalls} times`,
      );
      t.diagnostic(`history per run: ${lengths(runs)}`);

      // Bounded, because the rollout continued as new again and again while it waited.
      assert.ok(largestOf(runs) <= HISTORY_BOUND, `largest history ${largestOf(runs)} events`);
      const carried = waited.map(resumeOf).filter((r) => r !== undefined);
      assert.ok(carried.length >= 4, `only ${carried.length} runs carried the rollout over a week of waiting`);
      // Each run was handed the rollout as it stood: same revision, weight and failed checks.
      for (const r of carried) {
        if ('target' in r) assert.fail('a run carried the rollout in the earlier format');
        const { applied, analysis } = r.state;
        assert.deepEqual(
          { revision: applied?.revision, phase: analysis.phase, canaryWeight: analysis.canaryWeight, failedChecks: analysis.failedChecks },
          { revision: fake.deployment(TARGET)?.revision, ...waiting },
        );
      }
      // It analysed every interval of the week and asked the gate each time.
      assert.ok(gateCalls >= (0.9 * (days * DAY_MS)) / INTERVAL_MS, `the gate was asked only ${gateCalls} times`);
      // One rollout throughout: one revision detected, pre-rollout hooks once, weights stepped up
      // once to 50 and never reset, failed checks never reset.
      assert.equal(fake.events.filter((e) => e.message.startsWith('New revision detected')).length, 1);
      assert.equal(receiver.to(rollout.path('acceptance-test')).length, 1, 'pre-rollout hooks ran again in a later run');
      assert.deepEqual(
        fake.weightChanges.map((c) => c.canary),
        [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 0],
      );
      const lastReset = fake.statusWrites.findLastIndex((s) => s.failedChecks === 0);
      const firstWait = fake.statusWrites.findIndex((s) => s.phase === 'WaitingPromotion');
      assert.ok(lastReset < firstWait, 'failedChecks was reset during the wait');
      // And the gate's approval promoted it.
      rollout.assertPromoted();
    });
  });

  it('keeps every run bounded through 2 days in Waiting for confirm-rollout, then rolls out', async (t) => {
    const days = 2;
    const rollout = new GatedRollout(receiver, 'long-wait-rollout', 'confirm-rollout', passingMetrics);
    const { fake } = rollout;
    const { worker: w, taskQueue } = await worker(rollout);
    await w.runUntil(async () => {
      const client = env!.client;
      const firstRunId = await rollout.start(client, taskQueue);
      await rollout.newRevision(client);
      await rollout.waitDays(t, env!, firstRunId, days, { phase: 'Waiting', canaryWeight: 0, failedChecks: 0 });
      const gateCalls = receiver.to(rollout.path('gate')).length;
      // Nothing started while the gate was shut: no canary pods, no traffic, no pre-rollout hooks.
      assert.equal(fake.deployment(TARGET)?.replicas, 0);
      assert.deepEqual(fake.weightChanges, []);
      assert.equal(receiver.to(rollout.path('acceptance-test')).length, 0);
      assert.equal(fake.events.filter((e) => e.message.includes('waiting for approval')).length, 1, 'the wait is announced once');

      rollout.openGate();
      // Pre-rollout, ten steps to 50%, promotion: twelve intervals, two to spare.
      await env!.sleep(14 * INTERVAL_MS);
      await until('promotion', 30_000, () => (fake.status.phase === 'Succeeded' ? true : undefined));
      const runs = await runChain(client, rollout.workflowId, firstRunId);
      t.diagnostic(
        `FIGURES: ${days} days in Waiting (confirm-rollout) at a ${INTERVAL_MS / 60_000}m interval: ${runs.length} runs, ` +
          `largest history ${largestOf(runs)} events, gate asked ${gateCalls} times`,
      );
      t.diagnostic(`history per run: ${lengths(runs)}`);
      assert.ok(largestOf(runs) <= HISTORY_BOUND, `largest history ${largestOf(runs)} events`);
      assert.ok(runs.length >= 3, `only ${runs.length} runs in ${days} days of waiting`);
      assert.ok(gateCalls >= (0.9 * (days * DAY_MS)) / INTERVAL_MS, `the gate was asked only ${gateCalls} times`);
      rollout.assertPromoted();
    });
  });
});
