// The worker's log is one JSON object per line, the SDK core's own lines included: started as in a
// cluster (from the prebuilt workflow bundle), it loses Temporal (a forwarder in front of the stack's
// Temporal is cut) and core's retry warnings must arrive as JSON on stdout, not as its own
// coloured text.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeWorkflowBundle } from '../../src/tools/bundle-workflows';
import { eventually, stack } from '../support/stack';
import { TcpForwarder } from '../support/tcp-forwarder';

type Line = Record<string, unknown>;

describe('worker log lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perch-worker-logs-'));
  const temporal = stack().temporal.split(':');
  const forwarder = new TcpForwarder({ host: temporal[0] ?? '127.0.0.1', port: Number(temporal[1]) });
  const out: string[] = [];
  let worker: ChildProcess | undefined;

  const lines = (): string[] =>
    out
      .join('')
      .split('\n')
      .filter((l) => l !== '');
  const parsed = (): Line[] =>
    lines().flatMap((l) => {
      try {
        return [JSON.parse(l) as Line];
      } catch {
        return [];
      }
    });
  const seen = (what: string, test: (l: Line) => boolean) => eventually(what, 120_000, () => Promise.resolve(parsed().some(test) ? true : undefined));

  before(async () => {
    const bundle = join(dir, 'workflow-bundle.js');
    await writeWorkflowBundle(bundle);
    await forwarder.open();
    worker = spawn(process.execPath, [join(__dirname, '..', '..', 'src', 'worker.js')], {
      env: {
        PATH: process.env.PATH,
        KUBECONFIG: stack().kubeconfig,
        TEMPORAL_ADDRESS: `127.0.0.1:${forwarder.port}`,
        PERCH_TASK_QUEUE: `worker-logs-${process.pid}`,
        PERCH_WATCH_NAMESPACE: 'worker-logs',
        PERCH_WORKFLOW_BUNDLE: bundle,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [worker.stdout, worker.stderr]) stream?.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  });
  after(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker?.once('exit', resolve));
      worker.kill('SIGKILL');
      await exited;
    }
    await forwarder.cut();
    rmSync(dir, { recursive: true, force: true });
  });

  it("forwards the SDK core's warnings as JSON lines while Temporal is unreachable", async () => {
    await seen('the worker polling', (l) => l.msg === 'Worker state changed' && l.state === 'RUNNING');
    await forwarder.cut();
    await seen('a warning from the SDK core', (l) => l.sdkComponent === 'core' && l.level === 'warn');
    const text = lines();
    const notJson = text.filter((l) => {
      try {
        const record = JSON.parse(l) as Line;
        return typeof record.msg !== 'string' || typeof record.ts !== 'string' || !['info', 'warn', 'error'].includes(String(record.level));
      } catch {
        return true;
      }
    });
    assert.deepEqual(notJson, [], `${notJson.length} of ${text.length} lines are not Perch's JSON`);
  });
});
