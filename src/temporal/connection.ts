// Where Temporal is and how to reach it, read through Temporal's environment configuration
// (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE and the
// TOML config file), so Perch is pointed at a cluster the same way as the `temporal` CLI.
import { loadClientConnectConfig } from '@temporalio/envconfig';

export interface TemporalTarget {
  address: string;
  namespace: string;
  /** Options for both Connection.connect (client) and NativeConnection.connect (worker). */
  connectionOptions: ReturnType<typeof loadClientConnectConfig>['connectionOptions'] & { address: string };
}

/** The local dev server when nothing is configured. */
const DEFAULT_ADDRESS = '127.0.0.1:7233';

export function temporalTarget(env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const loaded = loadClientConnectConfig({ overrideEnvVars: env as Record<string, string> });
  const address = loaded.connectionOptions.address ?? DEFAULT_ADDRESS;
  return { address, namespace: loaded.namespace ?? 'default', connectionOptions: { ...loaded.connectionOptions, address } };
}
