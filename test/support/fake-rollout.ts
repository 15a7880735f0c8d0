// Runs the real canaryWorkflow against a FakeCluster on Temporal's time-skipping server: the Canary
// is created and initialised, then the test steers it as a user and the watcher would (a new image,
// a spec edit, a deletion), each followed by the change notice the watcher sends.
import { randomBytes } from 'node:crypto';
import { type WorkflowHandle } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Canary, type CanaryPhase } from '../../src/api/canary';
import { HttpWebhookCaller, webhookActivities } from '../../src/activities/webhooks';
import { DEFAULT_LONG_CALL_SLOTS } from '../../src/config';
import { CanaryWorkers } from '../../src/temporal/canary-workers';
import { canaryWorkflowId, reconcileSignal, type RolloutView, stateQuery } from '../../src/workflows/messages';
import { type ClusterActivities, FakeCluster, fakeRevision } from './fake-cluster';
import { seedCanary } from './seed';
import { until } from './time-skipping';
import { workflowBundlePath } from './workflow-bundle';

const { callWebhook } = webhookActivities(new HttpWebhookCaller());

export const TARGET = 'podinfo';
export const IMAGE = 'ghcr.io/stefanprodan/podinfo';

/** The seed's Canary without webhooks, at 2-second intervals, in steps of 25 up to 50%. */
export function quickCanary(namespace: string, edit: (a: Canary['spec']['analysis']) => void = () => undefined): Canary {
  const canary = seedCanary({ analysis: '2s', metrics: '1m' }, namespace);
  canary.metadata.uid = randomBytes(8).toString('hex');
  canary.metadata.generation = 1;
  canary.spec.analysis.webhooks = [];
  canary.spec.analysis.stepWeight = 25;
  edit(canary.spec.analysis);
  return canary;
}

/** One Canary's workflow on the fake cluster, steered as a user and the watcher would. */
export class FakeRollout {
  readonly fake: FakeCluster;
  handle: WorkflowHandle | undefined;

  constructor(canary: Canary) {
    this.fake = new FakeCluster(canary);
    this.fake.deployments.set(TARGET, { revision: revisionOf('6.0.0'), image: `${IMAGE}:6.0.0`, replicas: 2 });
  }

  get namespace(): string {
    return this.fake.canary?.metadata.namespace ?? '';
  }

  /**
   * Starts a worker for this Canary, creates its workflow and waits until it is Initialized, then
   * runs `during`; the worker stops when `during` returns. `activities` replace the fake's.
   */
  async run(env: TestWorkflowEnvironment, during: (r: this) => Promise<unknown>, activities: Partial<ClusterActivities> = {}): Promise<void> {
    const taskQueue = `fake-${randomBytes(4).toString('hex')}`;
    const worker = await CanaryWorkers.create({
      connection: env.nativeConnection,
      taskQueue,
      workflows: { workflowBundle: { codePath: workflowBundlePath() } },
      activities: { ...this.fake.activities, callWebhook, ...activities },
      longCallSlots: DEFAULT_LONG_CALL_SLOTS,
    });
    this.start = async (reason) => {
      this.handle = await env.client.workflow.signalWithStart('canaryWorkflow', {
        workflowId: canaryWorkflowId(this.namespace, TARGET),
        taskQueue,
        args: [{ namespace: this.namespace, name: TARGET }],
        signal: reconcileSignal,
        signalArgs: [{ reason }],
      });
    };
    await worker.runUntil(async () => {
      await this.start('test: Canary created');
      await this.waitForPhase('Initialized');
      await during(this);
    });
  }

  /** The watcher's notice as signal-with-start: it starts the Canary's workflow when none runs. */
  start: (reason: string) => Promise<void> = () => Promise.reject(new Error('start() is for run() to set up'));

  /** `kubectl set image`, then the watcher's notice. */
  async setImage(tag: string): Promise<void> {
    this.fake.setImage(TARGET, `${IMAGE}:${tag}`);
    await this.notify('test: new image');
  }

  /** A `kubectl edit` of the Canary's spec (a new generation), then the watcher's notice. */
  async editCanary(edit: (c: Canary) => void): Promise<void> {
    const c = this.fake.canary;
    if (c === undefined) throw new Error('the Canary is gone');
    edit(c);
    c.metadata.generation = (c.metadata.generation ?? 1) + 1;
    await this.notify('test: Canary edited');
  }

  /** `kubectl delete canary`, then the watcher's notice. */
  async deleteCanary(): Promise<void> {
    this.fake.canary = undefined;
    await this.notify('test: Canary deleted');
  }

  async notify(reason: string): Promise<void> {
    await this.handle?.signal(reconcileSignal, { reason });
  }

  async waitForPhase(phase: CanaryPhase, timeoutMs = 60_000): Promise<void> {
    await until(`phase ${phase}`, timeoutMs, () => (this.fake.status.phase === phase ? true : undefined));
  }

  async waitForWeight(weight: number, timeoutMs = 60_000): Promise<void> {
    await until(`canary weight ${weight}`, timeoutMs, () => (this.fake.weights.canary === weight ? true : undefined));
  }

  async view(): Promise<RolloutView> {
    if (this.handle === undefined) throw new Error('the workflow has not started');
    return this.handle.query(stateQuery);
  }

  /** Event messages from the first one matching `first` on. */
  eventsFrom(first: RegExp): string[] {
    const all = this.fake.events.map((e) => e.message);
    const i = all.findIndex((m) => first.test(m));
    return i < 0 ? [] : all.slice(i);
  }
}

/** The fake's revision for podinfo at `tag`. */
export const revisionOf = (tag: string): string => fakeRevision(`${IMAGE}:${tag}`);
