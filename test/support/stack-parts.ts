// Parts of a local stack stopped and started one by one, for fault tests, through
// `scripts/stack.sh stop|start <part>` (the start functions `up` itself uses). The stack is the one
// the test runs against: PERCH_RUN and PERCH_PORT_OFFSET of this process, as for stack().
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDir } from './stack';

export type StackPart =
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kwok'
  | 'contour'
  | 'temporal'
  | 'prometheus'
  | 'dataplane'
  | 'loadtester';

const script = join(__dirname, '..', '..', '..', 'scripts', 'stack.sh');

/** Runs `scripts/stack.sh args...`; fails with the end of its output when it fails or overruns. */
function stackSh(args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('bash', [script, ...args], { env: process.env, timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (!err) return resolve();
      const tail = `${stdout}${stderr}`.trim().split('\n').slice(-20).join('\n');
      reject(new Error(`scripts/stack.sh ${args.join(' ')} failed (${err.killed ? `no end within ${timeoutMs} ms` : `exit ${err.code}`}):\n${tail}`));
    });
  });
}

/** Stops one part (its whole process group); its data stays in the run folder. */
export async function stopPart(part: StackPart): Promise<void> {
  await stackSh(['stop', part], 30_000);
}

/** Starts one part again and resolves once it is ready (the same readiness check as `up`). */
export async function startPart(part: StackPart): Promise<void> {
  await stackSh(['start', part], 180_000);
}

/** Runs `fn` while `part` is stopped, and starts it again however `fn` ends. */
export async function withPartDown<T>(part: StackPart, fn: () => Promise<T>): Promise<T> {
  await stopPart(part);
  try {
    return await fn();
  } finally {
    await startPart(part);
  }
}

/**
 * Points this test process at a stack of its own (node --test runs each file in its own process):
 * PERCH_RUN becomes a folder under the temp directory named by `portOffset`, PERCH_PORT_OFFSET that
 * offset, so stack(), kubeConfig() and the helpers here all address it. Start it with stackUp().
 * The folder's name is fixed, so stackClean() also ends a stack a crashed run left behind.
 */
export function useOwnStack(portOffset: number): string {
  process.env.PERCH_RUN = join(tmpdir(), `perch-stack-${portOffset}`);
  process.env.PERCH_PORT_OFFSET = String(portOffset);
  return runDir();
}

/** `scripts/stack.sh up`: starts whatever of the stack is not running. */
export async function stackUp(): Promise<void> {
  await stackSh(['up'], 600_000);
}

/** `scripts/stack.sh clean`: stops the stack and deletes its run folder. */
export async function stackClean(): Promise<void> {
  await stackSh(['clean'], 120_000);
}
