// The worker's connection to Temporal. A worker that starts while Temporal is away (both restarted
// together, a Temporal upgrade, a network cut) waits for it, saying so, instead of exiting: nothing
// else would start it again outside Kubernetes, and inside it a crash loop only delays the start.
import { setTimeout as sleep } from 'node:timers/promises';
import { NativeConnection, type NativeConnectionOptions, TransportError } from '@temporalio/worker';
import { type Backoff, retryDelayMs } from '../backoff';
import { log } from '../log';

/** About 1 s after the first failure, then doubling, never more than 15 s apart. */
const CONNECT_BACKOFF: Backoff = { initialMs: 1000, maxMs: 15_000 };

/** The connection and what was started on it. */
export interface Started<W> {
  connection: NativeConnection;
  worker: W;
}

/**
 * Connects, then starts the worker on the connection, retrying both until Temporal answers;
 * undefined if `stop` is aborted first. Temporal can go away between the two (the worker's start
 * describes the namespace), so a transport failure of the start is waited out like one of the
 * connection. Any other failure of the start (a bad bundle, a bad option) ends it at once.
 */
export async function startWhenReachable<W>(
  options: NativeConnectionOptions,
  stop: AbortSignal,
  start: (connection: NativeConnection) => Promise<W>,
): Promise<Started<W> | undefined> {
  for (let failures = 1; !stop.aborted; failures++) {
    let connection: NativeConnection | undefined;
    try {
      connection = await NativeConnection.connect(options);
      return { connection, worker: await start(connection) };
    } catch (err) {
      await connection?.close().catch(() => undefined);
      if (connection !== undefined && !(err instanceof TransportError)) throw err;
      const retryInMs = retryDelayMs(failures, CONNECT_BACKOFF);
      log('warn', `cannot reach Temporal at ${options.address ?? 'its default address'}; trying again`, {
        error: err instanceof Error ? err.message : String(err),
        failures,
        retryInMs,
      });
      await sleep(retryInMs, undefined, { signal: stop }).catch(() => undefined);
    }
  }
  return undefined;
}
