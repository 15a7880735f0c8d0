// Entry point of the worker: runs the canary workflows and their activities. It reads the
// configuration once, makes the clients (Kubernetes, the Canary cache, the metrics) and builds the
// activities from them; nothing below it reads the environment.
import { DefaultLogger, type LogEntry, makeTelemetryFilterString, Runtime, type State, type WorkerOptions } from '@temporalio/worker';
import { collectDefaultMetrics } from 'prom-client';
import { createActivities } from './activities';
import { loadConfig } from './config';
import { workerProbes } from './http/probes';
import { type HttpAddress } from './http/address';
import { type RunningHttpServer, startHttpServer } from './http/server';
import { canaryCache } from './kubernetes/canary-cache';
import { kubeClients, kubeConfig } from './kubernetes/client';
import { log } from './log';
import { canaryInventory } from './metrics/canary-inventory';
import { CanaryMetrics } from './metrics/canary-metrics';
import { fetchSdkMetrics, combinedExposition, freeLoopbackPort, sdkPrometheusExporter } from './metrics/sdk-metrics';
import { CanaryWorkers } from './temporal/canary-workers';
import { startWhenReachable } from './temporal/worker-connection';
import { perchVersion } from './version';

/** The long calls' Worker has no workflows by design (canary-workers.ts): the SDK's word on it is no warning. */
const NO_WORKFLOWS = /^No workflows registered/;

/** The SDK's own records as JSON lines too, so the whole log reads with `jq .msg`. */
function sdkLogLine(entry: LogEntry): void {
  const warning = entry.level === 'WARN' && !NO_WORKFLOWS.test(entry.message);
  const level = entry.level === 'ERROR' ? 'error' : warning ? 'warn' : 'info';
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(entry.meta ?? {})) {
    fields[key] = typeof value === 'string' || typeof value === 'number' ? value : JSON.stringify(value);
  }
  log(level, entry.message, fields);
}

/** The prebuilt bundle the image ships, else the workflow sources, bundled at start. */
function workflowCode(codePath: string | undefined): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  return codePath ? { workflowBundle: { codePath } } : { workflowsPath: require.resolve('./workflows') };
}

/** Core's own records through the logger above, and its metrics where /metrics can fetch them. */
function installRuntime(sdkPort: number | undefined): void {
  Runtime.install({
    logger: new DefaultLogger('INFO', sdkLogLine),
    telemetryOptions: {
      // Core (the Rust side) prints its own lines to stderr unless forwarded to the logger above.
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
      ...(sdkPort !== undefined && { metrics: sdkPrometheusExporter(sdkPort) }),
    },
    // Signals are handled in main(), so the HTTP server and the connection close after the drain.
    shutdownSignals: [],
  });
}

/** /healthz and /readyz from the worker's state; /metrics: Perch's series, the process's and Core's. */
function serve(address: HttpAddress, metrics: CanaryMetrics, sdkPort: number, state: () => State | undefined): Promise<RunningHttpServer> {
  // The process's memory, CPU and event-loop lag too, as Flagger's Go runtime series.
  collectDefaultMetrics({ register: metrics.registry });
  return startHttpServer(address, {
    ...workerProbes(state),
    metrics: async () => ({
      contentType: metrics.registry.contentType,
      body: await combinedExposition(
        () => metrics.exposition(),
        () => fetchSdkMetrics(sdkPort),
      ),
    }),
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const { httpAddress } = config;
  // Core's metrics are exported only when something serves them: /metrics of the HTTP server.
  const sdkPort = httpAddress ? await freeLoopbackPort() : undefined;
  installRuntime(sdkPort);
  const kube = kubeClients(kubeConfig());
  const canaries = canaryCache(kube.config, config.watchNamespace);
  const metrics = new CanaryMetrics({ list: canaryInventory(canaries), scope: config.watchNamespace });
  metrics.setInfo(perchVersion(), 'contour');
  // What a Canary's URLs may not reach: this process's own endpoints (docs/security.md).
  const ownEndpoints = [...(httpAddress ? [httpAddress] : []), ...(sdkPort !== undefined ? [{ host: '127.0.0.1', port: sdkPort }] : [])];
  let worker: CanaryWorkers | undefined;
  const server = httpAddress && sdkPort !== undefined ? await serve(httpAddress, metrics, sdkPort, () => worker?.state()) : undefined;
  // SIGTERM or SIGINT: stop waiting for Temporal, or drain the running worker.
  const stopping = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    log('info', `worker received ${signal}; ${worker ? 'draining' : 'stopping'}`, { state: worker?.state() ?? 'not started' });
    stopping.abort();
    worker?.shutdown();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    // Listed before the first activity runs: the duplicate-target check reads it.
    await canaries.start();
    const activities = createActivities({ ...config, ownEndpoints }, { kube, canaries, metrics });
    const started = await startWhenReachable(config.temporal.connectionOptions, stopping.signal, (connection) =>
      CanaryWorkers.create({
        connection,
        namespace: config.temporal.namespace,
        taskQueue: config.taskQueue,
        workflows: workflowCode(config.workflowBundle),
        activities,
        longCallSlots: config.longCallSlots,
        // In-flight activities get 30 s to finish after SIGTERM; the forced stop at 50 s still
        // leaves the process time to exit inside the pods' terminationGracePeriodSeconds of 60.
        shutdown: { shutdownGraceTime: '30s', shutdownForceTime: '50s' },
      }),
    );
    if (started === undefined) return;
    const { connection } = started;
    try {
      if (stopping.signal.aborted) return;
      worker = started.worker;
      log('info', 'worker started', { temporal: config.temporal.address, taskQueue: config.taskQueue, longCallSlots: config.longCallSlots });
      await worker.run();
      log('info', 'worker stopped');
    } finally {
      await connection.close();
    }
  } finally {
    await canaries.stop();
    await server?.close();
  }
}

main().catch((err: unknown) => {
  log('error', `worker failed: ${String(err)}`);
  process.exit(1);
});
