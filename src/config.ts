// Process configuration from the environment, read once at start by the entry points.
import { type TemporalTarget, temporalTarget } from './temporal/connection';

export interface PerchConfig {
  temporal: TemporalTarget;
  taskQueue: string;
  /** Watch only this namespace; empty for all. */
  watchNamespace: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PerchConfig {
  return {
    temporal: temporalTarget(env),
    taskQueue: env.PERCH_TASK_QUEUE ?? 'perch',
    watchNamespace: env.PERCH_WATCH_NAMESPACE ?? '',
  };
}
