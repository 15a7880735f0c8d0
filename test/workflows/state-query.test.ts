// The `state` query (what `perch status` and the demo show) must never run ahead of the Canary:
// a client that saw "Succeeded" from the workflow reads "Succeeded" from the Canary too. The
// status write is held open here so the gap, if any, is caught every time, not by chance.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { type Canary, type CanaryPhase } from '../../src/api/canary';
import { callWebhook } from '../../src/activities/webhooks';
import { canaryWorkflowId, reconcileSignal, stateQuery } from '../../src/workflows/messages';
import { FakeCluster } from '../support/fake-cluster';
import { seedCanary } from '../support/seed';
import { startTimeSkipping, until } from '../support/time-skipping';

const NAMESPACE = 'state-query';
const TARGET = 'podinfo';

/** The seed's Canary without webhooks, two 2-second steps to 50%: a rollout of a few seconds. */
function quickCanary(): Canary {
  const canary = seedCanary({ analysis: '2s', metrics: '1m' }, NAMESPACE);
  canary.metadata.uid = randomBytes(8).toString('hex');
  canary.spec.analysis.webhooks = [];
  canary.spec.analysis.stepWeight = 25;
  return canary;
}

describe('the state query and the Canary status', () => {
  let env: TestWorkflowEnvironment | undefined;

  before(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    env = await startTimeSkipping();
  }, { timeout: 120_000 });

  after(async () => {
    await env?.teardown();
  });

  it('reports a phase only once the Canary has it', async () => {
    const fake = new FakeCluster(quickCanary());
    fake.deployments.set(TARGET, { revision: 'rev-1', image: 'ghcr.io/stefanprodan/podinfo:6.0.0', replicas: 2 });
    // Holds the write of the final phase until the test has asked the workflow where it stands.
    let heldWrite: CanaryPhase | undefined;
    let release = (): void => undefined;
    const released = new Promise<void>((r) => { release = r; });
    const activities = {
      ...fake.activities,
      callWebhook,
      writeCanaryStatus: async (input: Parameters<FakeCluster['activities']['writeCanaryStatus']>[0]) => {
        if (input.status.phase === 'Succeeded') {
          heldWrite = input.status.phase;
          await released;
        }
        return fake.activities.writeCanaryStatus(input);
      },
    };
    const taskQueue = `state-query-${randomBytes(3).toString('hex')}`;
    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: new DefaultLogger('WARN') });
    const worker = await Worker.create({ connection: env!.nativeConnection, taskQueue, workflowBundle: { code }, activities });
    const client = env!.client;
    const workflowId = canaryWorkflowId(NAMESPACE, TARGET);
    await worker.runUntil(async () => {
      const handle = await client.workflow.signalWithStart('canaryWorkflow', {
        workflowId, taskQueue, args: [{ namespace: NAMESPACE, name: TARGET }],
        signal: reconcileSignal, signalArgs: [{ reason: 'test: Canary created' }],
      });
      await until('the Canary to be initialised', 20_000, () => (fake.status.phase === 'Initialized' ? true : undefined));
      fake.setImage(TARGET, 'ghcr.io/stefanprodan/podinfo:6.0.1');
      await handle.signal(reconcileSignal, { reason: 'test: new image' });

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
    });
  });
});
