// Entry point of the watcher: Kubernetes watches in, Temporal signals out.
import { Connection } from '@temporalio/client';
import { loadConfig } from './config';
import { watcherProbes } from './http/probes';
import { type RunningHttpServer, startHttpServer } from './http/server';
import { kubeConfig } from './kubernetes/client';
import { log } from './log';
import { Watcher } from './watcher/watcher';

async function main(): Promise<void> {
  const config = loadConfig();
  const { httpAddress } = config;
  // Connected on first use: the watches start, and readiness says so, while Temporal is unreachable.
  const connection = Connection.lazy(config.temporal.connectionOptions);
  const watcher = new Watcher(kubeConfig(), connection, {
    temporalNamespace: config.temporal.namespace,
    taskQueue: config.taskQueue,
    namespace: config.watchNamespace,
    resyncPeriodMs: config.resyncPeriodMs,
  });
  // Ready once every informer has listed (Watcher.start() resolves then) and while Temporal answers.
  let synced = false;
  // Up before the first list, so liveness answers while a large cluster is being listed.
  const server: RunningHttpServer | undefined = httpAddress
    ? await startHttpServer(
        httpAddress,
        watcherProbes(
          () => synced,
          () => watcher.temporal(),
        ),
      )
    : undefined;
  await watcher.start();
  synced = true;
  log('info', 'watcher started', { temporal: config.temporal.address, taskQueue: config.taskQueue, resyncPeriodMs: config.resyncPeriodMs });
  const stop = () => {
    synced = false;
    void watcher
      .stop()
      .finally(() => connection.close())
      .finally(() => server?.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  log('error', `watcher failed: ${String(err)}`);
  process.exit(1);
});
