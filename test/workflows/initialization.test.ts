// A Canary whose primary cannot become ready stays Initializing and is looked at again on the next
// change or one progress deadline later. A change notice that arrives while the workflow is busy
// must cost one more look, not a hot loop: here the readiness check fails at once (deadline
// exceeded), which is what made a never-cleared notice spin.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { failure } from '../../src/activities/errors';
import { HttpWebhookCaller, webhookActivities } from '../../src/activities/webhooks';
import { DEFAULT_LONG_CALL_SLOTS } from '../../src/config';
import { CanaryWorkers } from '../../src/temporal/canary-workers';
import { canaryWorkflowId, reconcileSignal } from '../../src/workflows/messages';
import { type ClusterActivities, FakeCluster } from '../support/fake-cluster';
import { seedCanary } from '../support/seed';
import { workflowBundlePath } from '../support/workflow-bundle';
import { useTimeSkipping, until } from '../support/time-skipping';
import { openWork } from '../support/workflow-history';

const { callWebhook } = webhookActivities(new HttpWebhookCaller());

const NAMESPACE = 'initialization';
const TARGET = 'podinfo';

describe('initialising a Canary whose primary is never ready', () => {
  const env = useTimeSkipping();

  it('answers a change notice that came mid-pass with one more look, then waits', async () => {
    const canary = seedCanary({ analysis: '2s', metrics: '1m' }, NAMESPACE);
    canary.metadata.uid = randomBytes(8).toString('hex');
    canary.spec.progressDeadlineSeconds = 600;
    const fake = new FakeCluster(canary);
    fake.deployments.set(TARGET, { revision: 'rev-1', image: 'ghcr.io/stefanprodan/podinfo:6.0.0', replicas: 2 });
    // The first readiness check is held until a change notice has arrived; every check fails at once.
    let checks = 0;
    let release = (): void => undefined;
    const released = new Promise<void>((r) => {
      release = r;
    });
    const waitForReady: ClusterActivities['waitForReady'] = async (input) => {
      if (++checks === 1) await released;
      return {
        ready: false,
        deadlineExceeded: true,
        message: `deployment ${input.name}.${input.namespace} exceeded its progress deadline`,
        available: 0,
        desired: 2,
      };
    };
    const taskQueue = `initialization-${randomBytes(3).toString('hex')}`;
    const worker = await CanaryWorkers.create({
      connection: env().nativeConnection,
      taskQueue,
      workflows: { workflowBundle: { codePath: workflowBundlePath() } },
      longCallSlots: DEFAULT_LONG_CALL_SLOTS,
      activities: { ...fake.activities, callWebhook, waitForReady },
    });
    await worker.runUntil(async () => {
      const handle = await env().client.workflow.signalWithStart('canaryWorkflow', {
        workflowId: canaryWorkflowId(NAMESPACE, TARGET),
        taskQueue,
        args: [{ namespace: NAMESPACE, name: TARGET }],
        signal: reconcileSignal,
        signalArgs: [{ reason: 'test: Canary created' }],
      });
      try {
        await until('the first readiness check', 20_000, () => (checks === 1 ? true : undefined));
        await handle.signal(reconcileSignal, { reason: 'test: the Canary changed meanwhile' });
      } finally {
        release();
      }
      await until('the second look', 20_000, () => (checks >= 2 ? true : undefined));
      // The second look is done once the run waits on nothing but its timer (one progress deadline;
      // time is held, so it cannot fire) and a signal: no task, no activity in flight.
      await until('the run to wait on its timer alone', 20_000, async () => {
        const open = openWork((await handle.fetchHistory()).events ?? []);
        return !open.task && open.activities === 0 && open.timers > 0 ? true : undefined;
      });
      assert.equal(checks, 2, `the primary's readiness was checked ${checks} times`);
      assert.equal(fake.status.phase, 'Initializing');
      const notReady = fake.events.filter((e) => e.message.startsWith(`podinfo-primary.${NAMESPACE} not ready:`));
      assert.equal(notReady.length, 2, fake.events.map((e) => e.message).join('\n'));
    });
  });

  it('reports a target no retry can fix on the Canary, keeps the workflow, and initialises once fixed', async () => {
    const ns = `${NAMESPACE}-invalid`;
    const canary = seedCanary({ analysis: '2s', metrics: '1m' }, ns);
    canary.metadata.uid = randomBytes(8).toString('hex');
    const fake = new FakeCluster(canary);
    fake.deployments.set(TARGET, { revision: 'rev-1', image: 'ghcr.io/stefanprodan/podinfo:6.0.0', replicas: 2 });
    // Thrown by a local activity, this failure reaches the workflow unwrapped (no ActivityFailure).
    const problem = `deployment ${TARGET}.${ns} spec.selector.matchLabels must contain one of [app name app.kubernetes.io/name]`;
    let labelled = false;
    const initializePrimary: ClusterActivities['initializePrimary'] = async (input) => {
      if (!labelled) throw failure('InvalidTarget', problem);
      await fake.activities.initializePrimary(input);
    };
    const taskQueue = `initialization-${randomBytes(3).toString('hex')}`;
    const worker = await CanaryWorkers.create({
      connection: env().nativeConnection,
      taskQueue,
      workflows: { workflowBundle: { codePath: workflowBundlePath() } },
      longCallSlots: DEFAULT_LONG_CALL_SLOTS,
      activities: { ...fake.activities, callWebhook, initializePrimary },
    });
    await worker.runUntil(async () => {
      const handle = await env().client.workflow.signalWithStart('canaryWorkflow', {
        workflowId: canaryWorkflowId(ns, TARGET),
        taskQueue,
        args: [{ namespace: ns, name: TARGET }],
        signal: reconcileSignal,
        signalArgs: [{ reason: 'test: Canary created' }],
      });
      await until('the problem on the Canary', 20_000, () => (fake.status.conditions?.some((c) => c.message?.includes(problem)) ? true : undefined));
      // It was Initializing when the step failed: it stays so, the reason in its Promoted condition.
      assert.equal(fake.status.phase, 'Initializing');
      assert.equal(fake.status.conditions?.find((c) => c.type === 'Promoted')?.reason, 'Invalid');
      assert.ok(
        fake.events.some((e) => e.message === `Canary is invalid: ${problem}`),
        fake.events.map((e) => e.message).join('\n'),
      );
      assert.equal((await handle.describe()).status.name, 'RUNNING');
      labelled = true;
      await handle.signal(reconcileSignal, { reason: 'test: target labelled' });
      await until('Initialized', 20_000, () => (fake.status.phase === 'Initialized' ? true : undefined));
    });
  });
});
