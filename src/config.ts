// Process configuration from the environment, read once at start by the entry points.
import { parseDurationMs } from './api/duration';
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
  /** PERCH_RESYNC_PERIOD: how often the watcher signals every Canary again, however quiet. */
  resyncPeriodMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PerchConfig {
  return {
    temporal: temporalTarget(env),
    taskQueue: env.PERCH_TASK_QUEUE ?? 'perch',
    watchNamespace: env.PERCH_WATCH_NAMESPACE ?? '',
    httpAddress: httpAddressFromEnv(env),
    workflowBundle: env.PERCH_WORKFLOW_BUNDLE || undefined,
    resyncPeriodMs: resyncPeriodMs(env.PERCH_RESYNC_PERIOD),
  };
}

/** A Go duration ("5m", "90s"); 5 minutes when unset. */
function resyncPeriodMs(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return 5 * 60_000;
  const ms = parseDurationMs(text.trim());
  if (ms === undefined || ms < 1000) throw new Error(`PERCH_RESYNC_PERIOD must be a duration of at least 1s (e.g. 5m or 90s), got "${text}"`);
  return ms;
}
