// The CLI's one way to Temporal: the same environment configuration as the worker and the watcher
// (src/temporal/connection.ts), a short connect timeout so a wrong address fails fast, and the
// reads every command shares.
import { Client, Connection, type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { temporalTarget } from '../temporal/connection';
import { canaryWorkflowId, type RolloutView, stateQuery } from '../workflows/messages';
import { type CanaryRef, refText } from './args';
import { CliError, connectFailed, ExitCode, explain, GRPC_DEADLINE_EXCEEDED, grpcCode, unknownCanary } from './errors';

/** How long one call (a state query, a list) may take before the CLI gives up. */
const DEADLINE_MS = 5_000;
/** How long to try to connect: with the process's start, a wrong address fails in about 5 s. */
const CONNECT_MS = 4_000;

export class Temporal {
  private constructor(
    readonly connection: Connection,
    readonly client: Client,
    readonly address: string,
    readonly namespace: string,
  ) {}

  static async connect(env: NodeJS.ProcessEnv = process.env): Promise<Temporal> {
    let target;
    try {
      target = temporalTarget(env);
    } catch (err) {
      throw new CliError(`cannot read the Temporal configuration: ${explain(err, '?').message}`, ExitCode.unreachable);
    }
    try {
      const connection = await Connection.connect({ ...target.connectionOptions, connectTimeout: CONNECT_MS });
      return new Temporal(connection, new Client({ connection, namespace: target.namespace }), target.address, target.namespace);
    } catch (err) {
      throw connectFailed(err, target.address);
    }
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  /** Runs one call with the CLI's deadline, turning its failure into a CliError about `ref`. */
  async call<T>(ref: CanaryRef | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.connection.withDeadline(Date.now() + DEADLINE_MS, fn);
    } catch (err) {
      throw explain(err, this.address, ref && refText(ref));
    }
  }

  handle(ref: CanaryRef): WorkflowHandle {
    return this.client.workflow.getHandle(canaryWorkflowId(ref.namespace, ref.name));
  }

  /** The canary's running workflow; a canary whose workflow ended is not managed any more. */
  async describe(ref: CanaryRef): Promise<WorkflowExecutionDescription> {
    const description = await this.call(ref, () => this.handle(ref).describe());
    if (description.status.name !== 'RUNNING') throw unknownCanary(refText(ref));
    return description;
  }

  /** The rollout's state as the workflow answers it; a worker must be running to answer. */
  async state(ref: CanaryRef, taskQueue: string, deadlineMs = DEADLINE_MS): Promise<RolloutView> {
    try {
      return await this.connection.withDeadline(Date.now() + deadlineMs, () => this.handle(ref).query(stateQuery));
    } catch (err) {
      // Temporal answered the connection, but the query failed: a query the server gave up on,
      // or one refused because no worker ever took the workflow's first task, both mean no worker.
      if (grpcCode(err) !== GRPC_DEADLINE_EXCEEDED && (await this.hasPollers(taskQueue))) throw explain(err, this.address, refText(ref));
      throw new CliError(
        `no Perch worker answered for ${refText(ref)} within ${deadlineMs / 1000} s: is a worker running on task queue "${taskQueue}"?`,
        ExitCode.noWorker,
      );
    }
  }

  /** Whether any worker polls the task queue for workflow tasks; true when that cannot be told. */
  private async hasPollers(taskQueue: string): Promise<boolean> {
    try {
      const r = await this.connection.withDeadline(Date.now() + DEADLINE_MS, () =>
        this.client.workflowService.describeTaskQueue({
          namespace: this.namespace,
          taskQueue: { name: taskQueue },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        }),
      );
      return (r.pollers?.length ?? 0) > 0;
    } catch {
      return true;
    }
  }
}

/** Connects, runs `fn`, and always closes the connection. */
export async function withTemporal<T>(fn: (t: Temporal) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const t = await Temporal.connect(env);
  try {
    return await fn(t);
  } finally {
    await t.close().catch(() => undefined);
  }
}
