// Entry point of the worker: runs the canary workflows and their activities.
import { DefaultLogger, type LogEntry, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import * as activities from './activities';
import { loadConfig } from './config';
import { log } from './log';

/** The SDK's own records as JSON lines too, so the whole log reads with `jq .msg`. */
function sdkLogLine(entry: LogEntry): void {
  const level = entry.level === 'ERROR' ? 'error' : entry.level === 'WARN' ? 'warn' : 'info';
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(entry.meta ?? {})) {
    fields[key] = typeof value === 'string' || typeof value === 'number' ? value : JSON.stringify(value);
  }
  log(level, entry.message, fields);
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('INFO', sdkLogLine) });
  const config = loadConfig();
  const connection = await NativeConnection.connect(config.temporal.connectionOptions);
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.taskQueue,
      workflowsPath: require.resolve('./workflows'),
      activities,
      // In-flight activities get time to finish on SIGTERM, inside the pod's grace period.
      shutdownGraceTime: '20s',
    });
    log('info', 'worker started', { temporal: config.temporal.address, taskQueue: config.taskQueue });
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  log('error', `worker failed: ${String(err)}`);
  process.exit(1);
});
