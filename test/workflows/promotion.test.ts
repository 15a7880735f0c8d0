// How a promotion ends, on the real canaryWorkflow with the cluster faked in memory (Temporal's
// time-skipping server, held at wall-clock speed; intervals are 2 seconds): traffic returned to the
// primary in stepWeightPromotion steps, and the `state` query (what `perch status` and the demo
// show) never running ahead of the Canary.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type WorkflowHandle } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { type Canary, type CanaryPhase } from '../../src/api/canary';
import { HttpWebhookCaller, webhookActivities } from '../../src/activities/webhooks';
import { canaryWorkflowId, reconcileSignal, stateQuery } from '../../src/workflows/messages';
import { type ClusterActivities, FakeCluster } from '../support/fake-cluster';
import { seedCanary } from '../support/seed';
import { startTimeSkipping, until } from '../support/time-skipping';

const { callWebhook } = webhookActivities(new HttpWebhookCaller());

const TARGET = 'podinfo';

/** The seed's Canary without webhooks, in two 2-second steps of 25 to 50%: a rollout of seconds. */
function quickCanary(namespace: string, edit: (a: Canary['spec']['analysis']) => void = () => undefined): Canary {
  const canary = seedCanary({ analysis: '2s', metrics: '1m' }, namespace);
  canary.metadata.uid = randomBytes(8).toString('hex');
  canary.spec.analysis.webhooks = [];
  canary.spec.analysis.stepWeight = 25;
  edit(canary.spec.analysis);
  return canary;
}

/** Blue/green, or A/B testing once `match` is set: two iterations in place of the weight steps. */
function twoIterations(a: Canary['spec']['analysis']): void {
  delete a.maxWeight;
  delete a.stepWeight;
  a.iterations = 2;
}

describe('promotion on the fake cluster', () => {
  let env: TestWorkflowEnvironment | undefined;
  let code = '';

  before(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    env = await startTimeSkipping();
    ({ code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: new DefaultLogger('WARN') }));
  }, { timeout: 120_000 });

  after(async () => {
    await env?.teardown();
  });

  /**
   * Initialises the Canary, sets a new image as a user would, and hands the running workflow to
   * `during`; the worker runs until `during` returns.
   */
  async function rollout(fake: FakeCluster, during: (handle: WorkflowHandle) => Promise<unknown>, activities: Partial<ClusterActivities> = {}): Promise<void> {
    const namespace = fake.canary?.metadata.namespace ?? '';
    fake.deployments.set(TARGET, { revision: 'rev-1', image: 'ghcr.io/stefanprodan/podinfo:6.0.0', replicas: 2 });
    const taskQueue = `promotion-${randomBytes(3).toString('hex')}`;
    const worker = await Worker.create({
      connection: env!.nativeConnection, taskQueue, workflowBundle: { code }, activities: { ...fake.activities, callWebhook, ...activities },
    });
    await worker.runUntil(async () => {
      const handle = await env!.client.workflow.signalWithStart('canaryWorkflow', {
        workflowId: canaryWorkflowId(namespace, TARGET), taskQueue, args: [{ namespace, name: TARGET }],
        signal: reconcileSignal, signalArgs: [{ reason: 'test: Canary created' }],
      });
      await until('the Canary to be initialised', 20_000, () => (fake.status.phase === 'Initialized' ? true : undefined));
      fake.setImage(TARGET, 'ghcr.io/stefanprodan/podinfo:6.0.1');
      await handle.signal(reconcileSignal, { reason: 'test: new image' });
      await during(handle);
    });
  }

  const succeeded = (fake: FakeCluster) => until('promotion', 60_000, () => (fake.status.phase === 'Succeeded' ? true : undefined));
  const eventsFrom = (fake: FakeCluster, first: RegExp) => {
    const all = fake.events.map((e) => e.message);
    return all.slice(all.findIndex((m) => first.test(m)));
  };

  it('returns traffic to the primary in stepWeightPromotion steps, one per interval', async () => {
    const ns = 'steps-canary';
    const fake = new FakeCluster(quickCanary(ns, (a) => { a.stepWeightPromotion = 20; }));
    await rollout(fake, () => succeeded(fake));
    assert.deepEqual(fake.weightChanges.map((w) => [w.primary, w.canary]), [[75, 25], [50, 50], [70, 30], [90, 10], [100, 0]]);
    assert.deepEqual(eventsFrom(fake, /^Copying/), [
      `Copying podinfo.${ns} template spec to podinfo-primary.${ns}`,
      `Advance podinfo.${ns} primary weight 70`,
      `Advance podinfo.${ns} primary weight 90`,
      `Advance podinfo.${ns} primary weight 100`,
      `Promotion completed! Scaling down podinfo.${ns}`,
    ]);
    const promoting = fake.statusWrites.slice(fake.statusWrites.findIndex((w) => w.phase === 'Promoting'));
    assert.deepEqual(promoting.map((w) => [w.phase, w.canaryWeight]), [
      ['Promoting', undefined], [undefined, 30], [undefined, 10], ['Finalising', 0], ['Succeeded', 0],
    ]);
    assert.equal(fake.deployment(TARGET)?.replicas, 0);
  });

  it('steps blue/green back from all traffic on the canary', async () => {
    const ns = 'steps-blue-green';
    const fake = new FakeCluster(quickCanary(ns, (a) => {
      twoIterations(a);
      a.stepWeightPromotion = 40;
    }));
    await rollout(fake, () => succeeded(fake));
    assert.deepEqual(fake.weightChanges.map((w) => [w.primary, w.canary]), [[0, 100], [40, 60], [80, 20], [100, 0]]);
    assert.deepEqual(eventsFrom(fake, /^Advance .* primary weight/), [
      `Advance podinfo.${ns} primary weight 40`,
      `Advance podinfo.${ns} primary weight 80`,
      `Advance podinfo.${ns} primary weight 100`,
      `Promotion completed! Scaling down podinfo.${ns}`,
    ]);
  });

  it('returns A/B traffic at once: only the matching users were on the canary', async () => {
    const ns = 'steps-ab';
    const fake = new FakeCluster(quickCanary(ns, (a) => {
      twoIterations(a);
      a.match = [{ headers: { 'x-canary': { exact: 'insider' } } }];
      a.stepWeightPromotion = 20;
    }));
    await rollout(fake, () => succeeded(fake));
    assert.deepEqual(fake.weightChanges.map((w) => [w.primary, w.canary]), [[0, 100], [100, 0]]);
    assert.ok(fake.events.some((e) => e.message === 'Routing all traffic to primary'));
    assert.ok(!fake.events.some((e) => / primary weight /.test(e.message)));
  });

  it('answers a phase in the state query only once the Canary has it', async () => {
    const fake = new FakeCluster(quickCanary('state-query'));
    // Holds the write of the final phase until the test has asked the workflow where it stands.
    let heldWrite: CanaryPhase | undefined;
    let release = (): void => undefined;
    const released = new Promise<void>((r) => { release = r; });
    const writeCanaryStatus: ClusterActivities['writeCanaryStatus'] = async (input) => {
      if (input.status.phase === 'Succeeded') {
        heldWrite = input.status.phase;
        await released;
      }
      return fake.activities.writeCanaryStatus(input);
    };
    await rollout(fake, async (handle) => {
      await until('the Succeeded write to start', 60_000, () => heldWrite);
      try {
        const during = await handle.query(stateQuery);
        assert.equal(fake.status.phase, 'Finalising');
        assert.equal(during.phase, 'Finalising', 'the query answered a phase the Canary does not have yet');
      } finally {
        // The worker cannot shut down while the write is held.
        release();
      }
      const done = await until('the query to answer Succeeded', 20_000, async () => {
        const view = await handle.query(stateQuery);
        return view.phase === 'Succeeded' ? view : undefined;
      });
      assert.equal(fake.status.phase, 'Succeeded');
      assert.equal(done.canaryWeight, 0);
    }, { writeCanaryStatus });
  });
});
