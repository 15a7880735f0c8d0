// Entry point of the watcher: Kubernetes watches in, Temporal signals out.
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from './config';
import { kubeConfig } from './kubernetes/client';
import { log } from './log';
import { Watcher } from './watcher/watcher';

async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await Connection.connect(config.temporal.connectionOptions);
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const watcher = new Watcher(kubeConfig(), client, config.taskQueue, config.watchNamespace);
  await watcher.start();
  log('info', 'watcher started', { temporal: config.temporal.address, taskQueue: config.taskQueue });
  const stop = () => {
    void watcher.stop().finally(() => connection.close()).finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  log('error', `watcher failed: ${String(err)}`);
  process.exit(1);
});
