// scripts/demo.sh as a user runs it, as a child process in its own namespace and task queue, and the
// processes it leaves behind (Perch's worker and watcher), stopped again by the test.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { stack } from '../support/stack';

const repoRoot = join(__dirname, '..', '..', '..');
/** The build folder this test runs from (dist/ or a private one): the demo runs the same build. */
const distRoot = join(__dirname, '..', '..');
const runDir = process.env.PERCH_RUN ?? join(repoRoot, '.stack');

interface LogRecord {
  msg?: string;
  canary?: string;
  taskQueue?: string;
}

export interface DemoRun {
  code: number | null;
  output: string;
}

export class Demo {
  readonly taskQueue = `perch-demo-test-${randomBytes(3).toString('hex')}`;

  constructor(readonly namespace: string) {}

  /** Runs `scripts/demo.sh args...` to its end (at most `timeoutMs`); stdout and stderr together. */
  run(args: readonly string[], timeoutMs: number): Promise<DemoRun> {
    const child = spawn('bash', [join(repoRoot, 'scripts', 'demo.sh'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, PERCH_DEMO_NAMESPACE: this.namespace, PERCH_DEMO_TASK_QUEUE: this.taskQueue, PERCH_DEMO_DIST: distRoot },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a demo that overruns is stopped with everything it runs.
      detached: true,
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      output += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      output += s;
    });
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }, timeoutMs);
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });
  }

  /** The pid the demo recorded for one of its background processes, if its file is there. */
  pid(part: 'worker' | 'watcher' | 'errors'): number | undefined {
    try {
      return Number(readFileSync(this.pidFile(part), 'utf8').trim());
    } catch {
      return undefined;
    }
  }

  /** The `msg` of the JSON lines the demo's latest worker logged for podinfo in this namespace. */
  workerMessages(): string[] {
    return this.latestWorkerRecords()
      .filter((r) => r.canary === `podinfo.${this.namespace}`)
      .map((r) => r.msg ?? '');
  }

  /** The task queue the demo's latest worker said it polls. */
  workerTaskQueue(): string | undefined {
    return this.latestWorkerRecords()[0]?.taskQueue;
  }

  /** Stops the demo's processes (as `scripts/stack.sh down` would) and its workflows on our queue. */
  async stop(): Promise<void> {
    for (const part of ['worker', 'watcher', 'errors'] as const) {
      const pid = this.pid(part);
      if (pid) await stopGroup(pid);
      rmSync(this.pidFile(part), { force: true });
    }
    const connection = await Connection.connect({ address: stack().temporal });
    try {
      const client = new Client({ connection });
      for await (const wf of client.workflow.list({ query: `TaskQueue='${this.taskQueue}' AND ExecutionStatus='Running'` })) {
        await client.workflow
          .getHandle(wf.workflowId)
          .terminate('demo test finished')
          .catch(() => undefined);
      }
    } finally {
      await connection.close();
    }
  }

  private pidFile(part: string): string {
    return join(runDir, 'pids', `demo-${this.namespace}-${part}.pid`);
  }

  /** The log appends across runs: the records from the last "worker started" on. */
  private latestWorkerRecords(): LogRecord[] {
    const text = readFileSync(join(runDir, 'logs', `demo-${this.namespace}-worker.log`), 'utf8');
    const records = text.split('\n').flatMap((line): LogRecord[] => {
      try {
        return line.startsWith('{') ? [JSON.parse(line) as LogRecord] : [];
      } catch {
        return [];
      }
    });
    const start = records.findLastIndex((r) => r.msg === 'worker started');
    return start < 0 ? [] : records.slice(start);
  }
}

export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the process group the demo started (setsid), SIGKILL after 20 s. */
async function stopGroup(pid: number): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 200));
  signal('SIGKILL');
}
