// Process configuration from the environment, read once at start by the entry points.
export interface PerchConfig {
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  /** Watch only this namespace; empty for all. */
  watchNamespace: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PerchConfig {
  return {
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.PERCH_TASK_QUEUE ?? 'perch',
    watchNamespace: env.PERCH_WATCH_NAMESPACE ?? '',
  };
}
