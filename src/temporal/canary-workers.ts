// The SDK Workers of one Perch worker, on one connection, started, run and stopped as one:
//   - the workflows' queue: the canary workflows, their short calls, the waits, webhooks and alerts;
//   - the long calls' queue (src/workflows/task-queues.ts): the primary's bootstrap and promotion,
//     the router's objects, the metrics providers' check, `longCallSlots` at a time. More wait in
//     Temporal's queue, unstarted, so no attempt times out while it waits.
// The SDK bounds activities per Worker only; a second Worker is how one kind is bounded alone.
//
// The workflows' queue bounds its activities by the Canaries, not by slots: each of them waits on
// the outside world (a Deployment's readiness through a watch, a webhook, an alert) and a canary
// workflow runs one at a time. The SDK's default of 100 slots queued Canaries behind each other:
// with 100 primaries' readiness waits open, the 101st Canary's wait (and its alert) sat in
// Temporal's queue until one finished, up to 112 s at 300 Canaries (docs/performance.md).
import { type NativeConnection, type State, Worker, type WorkerOptions } from '@temporalio/worker';
import { longCallsQueue } from '../workflows/task-queues';

export interface CanaryWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  /** The workflows' queue (PERCH_TASK_QUEUE); the long calls' is derived from it. */
  taskQueue: string;
  /** Every activity, registered on both queues: a run recorded before the long calls' queue keeps its calls on the workflows'. */
  activities: NonNullable<WorkerOptions['activities']>;
  workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>;
  /** PERCH_LONG_CALL_SLOTS: long calls this process runs at once. */
  longCallSlots: number;
  /** How long a stop lets running work finish; the SDK's defaults when unset. */
  shutdown?: Pick<WorkerOptions, 'shutdownGraceTime' | 'shutdownForceTime'>;
}

/** Activities the workflows' queue runs at once: more than a worker's Canaries, so none waits for a slot. */
const WAIT_SLOTS = 10_000;

/**
 * Workflow tasks, and the local activities inside them, run at once. A workflow task holds its slot
 * while its local activities (the step's Kubernetes calls) run, about a second each when 100
 * Canaries step together. With the SDK's 40 slots the rest waited, and a task that waited 10 s on
 * the worker's sticky queue timed out there and queued again on the shared one: at 1,000 Canaries
 * 1,775 of 12,604 workflow tasks did, and steps came up to 25 s late (docs/performance.md).
 * The polls that fetch them stay at the SDK's 10: 40 took more tasks at once on two cores, and made
 * detection and steps later, not sooner.
 */
const TASK_SLOTS = 200;

export class CanaryWorkers {
  private constructor(private readonly workers: readonly Worker[]) {}

  static async create(o: CanaryWorkerOptions): Promise<CanaryWorkers> {
    const shared = { connection: o.connection, namespace: o.namespace, activities: o.activities, ...o.shutdown };
    const long = await Worker.create({ ...shared, taskQueue: longCallsQueue(o.taskQueue), maxConcurrentActivityTaskExecutions: o.longCallSlots });
    try {
      const main = await Worker.create({
        ...shared,
        taskQueue: o.taskQueue,
        ...o.workflows,
        maxConcurrentActivityTaskExecutions: WAIT_SLOTS,
        maxConcurrentWorkflowTaskExecutions: TASK_SLOTS,
        maxConcurrentLocalActivityExecutions: TASK_SLOTS,
      });
      return new CanaryWorkers([main, long]);
    } catch (err) {
      // A created Worker holds its connection until it has run: run it to a stop at once, so the
      // caller can close the connection (and try again on a new one).
      await long.runUntil(Promise.resolve()).catch(() => undefined);
      throw err;
    }
  }

  /** The state of the least advanced Worker: RUNNING only while all of them poll. */
  state(): State {
    return this.workers.map((w) => w.getState()).find((s) => s !== 'RUNNING') ?? 'RUNNING';
  }

  /** Runs until stopped or until one of them fails; either stops the others, and a failure is thrown. */
  async run(): Promise<void> {
    const runs = this.workers.map((w) => w.run().finally(() => this.shutdown()));
    const failure = (await Promise.allSettled(runs)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** Asks every running Worker to drain and stop; run() returns once they have. */
  shutdown(): void {
    for (const w of this.workers) if (w.getState() === 'RUNNING') w.shutdown();
  }

  /** Runs them for the length of `fn` (tests). */
  async runUntil<R>(fn: () => Promise<R>): Promise<R> {
    const running = this.run();
    running.catch(() => undefined); // thrown below, once `fn` is done
    try {
      return await fn();
    } finally {
      this.shutdown();
      await running;
    }
  }
}
