// Process configuration from the environment, read once at start by the entry points.
import { type HttpAddress, httpAddressFromEnv } from './http/address';
import { type TemporalTarget, temporalTarget } from './temporal/connection';

export interface PerchConfig {
  temporal: TemporalTarget;
  taskQueue: string;
  /** Watch only this namespace; empty for all. */
  watchNamespace: string;
  /** PERCH_HTTP_ADDRESS: probes and /metrics; no server when unset. */
  httpAddress?: HttpAddress;
  /** PERCH_WORKFLOW_BUNDLE: a prebuilt workflow bundle (the image's); else the sources are bundled at start. */
  workflowBundle?: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PerchConfig {
  return {
    temporal: temporalTarget(env),
    taskQueue: env.PERCH_TASK_QUEUE ?? 'perch',
    watchNamespace: env.PERCH_WATCH_NAMESPACE ?? '',
    httpAddress: httpAddressFromEnv(env),
    workflowBundle: env.PERCH_WORKFLOW_BUNDLE || undefined,
  };
}
