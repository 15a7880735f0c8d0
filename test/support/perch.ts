// Perch's worker and watcher as separate processes, the way they run in a cluster, against the
// local stack. Each test file gets its own task queue so its workflows reach only its own workers.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { join } from 'node:path';
import { eventually, runDir, stack } from './stack';
import { workflowBundlePath } from './workflow-bundle';

const distSrc = join(__dirname, '..', '..', 'src');

/**
 * Node's options for each process, as deploy/ and the chart start them (test/deploy checks they
 * agree). The watcher's young generation is capped at 2 MiB per semi-space: left to V8 it grows to
 * 64 MiB in the burst of the first lists and stays there, a third of the watcher's memory
 * (docs/performance.md, "The watcher's young generation").
 */
export const NODE_FLAGS: Readonly<Record<'worker' | 'watcher', readonly string[]>> = { worker: [], watcher: ['--max-semi-space-size=2'] };
/** Read when used, not at import: a test file may point PERCH_RUN at a stack of its own first (useOwnStack). */
const logDir = () => join(runDir(), 'logs');

/** One JSON line of a Perch process's log. */
export interface LogRecord {
  msg: string;
  ts: number;
  level: string;
  /** name.namespace of the Canary the line is about, when it is about one. */
  canary?: string;
}

/** One line of a Perch process's log, and its record when it is one. */
export interface LogLine {
  text: string;
  record?: LogRecord;
}

export class Perch {
  /**
   * `namespace` scopes the watcher (PERCH_WATCH_NAMESPACE), so test files do not see each other.
   * `extraEnv` is added to every process's environment (and wins over the defaults); its
   * TEMPORAL_ADDRESS points Perch at another Temporal than the stack's dev server.
   */
  constructor(
    private readonly namespace: string,
    private readonly extraEnv: NodeJS.ProcessEnv = {},
  ) {}

  /** The Temporal frontend Perch's processes (and this class) talk to. */
  get temporalAddress(): string {
    return this.extraEnv.TEMPORAL_ADDRESS ?? stack().temporal;
  }

  readonly taskQueue = `perch-test-${randomBytes(3).toString('hex')}`;
  private readonly processes = new Map<string, ChildProcess>();

  env(): NodeJS.ProcessEnv {
    const s = stack();
    return {
      ...process.env,
      KUBECONFIG: s.kubeconfig,
      TEMPORAL_ADDRESS: this.temporalAddress,
      PERCH_TASK_QUEUE: this.taskQueue,
      PERCH_WATCH_NAMESPACE: this.namespace,
      PERCH_METRICS_SERVER: s.prometheus,
      // The bundle the build wrote, as the image's worker loads it: no webpack at each start.
      PERCH_WORKFLOW_BUNDLE: workflowBundlePath(),
      // In-cluster names (flagger-loadtester.test) resolve through the simulator's cluster proxy.
      NODE_USE_ENV_PROXY: '1',
      HTTP_PROXY: s.clusterProxy,
      NO_PROXY: '127.0.0.1,localhost',
      ...this.extraEnv,
    };
  }

  /**
   * Starts `worker` or `watcher` under a name, logging to .stack/logs/<task queue>-<name>.log;
   * `env` is added for this process alone.
   */
  start(role: 'worker' | 'watcher', name: string = role, env: NodeJS.ProcessEnv = {}): void {
    const child = spawn(process.execPath, [...NODE_FLAGS[role], join(distSrc, `${role}.js`)], {
      env: { ...this.env(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = createWriteStream(this.logFile(name), { flags: 'a' });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    this.processes.set(name, child);
  }

  /** The process ID of a started process, while it runs. */
  pid(name: string): number | undefined {
    const child = this.processes.get(name);
    return child?.exitCode === null ? child.pid : undefined;
  }

  /** Kills a process (SIGKILL: no chance to clean up) and waits until it is gone. */
  async kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.processes.get(name);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
    this.processes.delete(name);
  }

  /** Stops the processes and terminates this task queue's workflows, so none outlives its test. */
  async stop(): Promise<void> {
    await Promise.all([...this.processes.keys()].map((name) => this.kill(name, 'SIGTERM')));
    // Waits for Temporal when it is away (a fault test may have stopped it) rather than leak a run.
    const connection = await eventually(`Temporal at ${this.temporalAddress}`, 120_000, () => Connection.connect({ address: this.temporalAddress }));
    try {
      const client = new Client({ connection });
      for await (const wf of client.workflow.list({ query: `TaskQueue='${this.taskQueue}' AND ExecutionStatus='Running'` })) {
        await client.workflow
          .getHandle(wf.workflowId)
          .terminate('test finished')
          .catch(() => undefined);
      }
    } finally {
      await connection.close();
    }
  }

  /** Where a started process logs: .stack/logs/<task queue>-<name>.log. */
  logFile(name: string): string {
    return join(logDir(), `${this.taskQueue}-${name}.log`);
  }

  /** The `msg` of every JSON log line the workers wrote for `canary` (name.namespace), in order. */
  logMessages(canary: string, name = 'worker'): string[] {
    return this.logRecords(canary, name).map((r) => r.msg);
  }

  /** The JSON log lines for `canary`, with their levels and timestamps. */
  logRecords(canary: string, name = 'worker'): LogRecord[] {
    return this.logLines(name).flatMap((line) => (line.record?.canary === canary ? [line.record] : []));
  }

  /** Every line of a process's log, in order, with its record when it is one JSON object with a `msg`. */
  logLines(name = 'worker'): LogLine[] {
    return readFileSync(this.logFile(name), 'utf8')
      .split('\n')
      .filter((text) => text.trim() !== '')
      .map((text) => {
        try {
          const rec = JSON.parse(text) as { msg?: unknown; canary?: unknown; ts?: unknown; level?: unknown };
          if (typeof rec.msg !== 'string') return { text };
          const record = {
            msg: rec.msg,
            ts: Date.parse(String(rec.ts)),
            level: String(rec.level),
            ...(typeof rec.canary === 'string' && { canary: rec.canary }),
          };
          return { text, record };
        } catch {
          return { text };
        }
      });
  }

  /** True once process `name` wrote a JSON log line saying `msg` (e.g. the watcher's "watcher started", once it has listed). */
  hasLogged(name: string, msg: string): boolean {
    const file = this.logFile(name);
    return readFileSync(file, 'utf8')
      .split('\n')
      .some((line) => line.startsWith('{') && line.includes(JSON.stringify(msg)));
  }
}
