// What a Temporal worker costs doing nothing, with the SDK's defaults or with its core's log lines
// forwarded to Node as Perch's worker has them (src/worker.ts): a bare worker for the bench's ticks
// workflow polls an empty queue on the stack's Temporal, and its CPU over a quiet window is printed.
//
//   PERCH_PORT_OFFSET=300 node dist/test/bench/idle-worker.js [--forward] [--seconds 120]
//
// docs/performance.md, "What bounds CPU".
import { parseArgs } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { type NothingActivities } from './fixtures/ticks-workflow';
import { stack } from '../support/stack';

const SETTLE_MS = 20_000;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { forward: { type: 'boolean', default: false }, seconds: { type: 'string', default: '120' } } });
  const windowS = Number(values.seconds);
  if (!(windowS > 0)) throw new Error(`--seconds must be a positive number, got ${values.seconds}`);
  const logger = new DefaultLogger('WARN');
  Runtime.install({ logger, ...(values.forward && { telemetryOptions: { logging: { forward: {}, filter: 'WARN' } } }) });
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./fixtures/ticks-workflow'), logger });
  const connection = await NativeConnection.connect({ address: stack().temporal });
  const activities: NothingActivities = { nothing: () => Promise.resolve() };
  const worker = await Worker.create({ connection, taskQueue: `bench-idle-${process.pid}`, workflowBundle: { code }, activities });
  await worker.runUntil(async () => {
    await delay(SETTLE_MS);
    const before = process.cpuUsage();
    await delay(windowS * 1000);
    const used = process.cpuUsage(before);
    const ms = (used.user + used.system) / 1000;
    process.stdout.write(
      `idle worker, core logs ${values.forward ? 'forwarded to Node' : 'as the SDK defaults'}: ${ms.toFixed(0)} ms of CPU in ${windowS} s, ${(ms / windowS).toFixed(2)} ms per s\n`,
    );
  });
  await connection.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
