// Entry point of the worker: runs the canary workflows and their activities.
import { NativeConnection, Worker } from '@temporalio/worker';
import * as activities from './activities';
import { loadConfig } from './config';
import { log } from './log';

async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      workflowsPath: require.resolve('./workflows'),
      activities,
      // In-flight activities get time to finish on SIGTERM, inside the pod's grace period.
      shutdownGraceTime: '20s',
    });
    log('info', 'worker started', { temporal: config.temporalAddress, taskQueue: config.taskQueue });
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  log('error', `worker failed: ${String(err)}`);
  process.exit(1);
});
