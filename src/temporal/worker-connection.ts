// The worker's connection to Temporal. A worker that starts while Temporal is away (both restarted
// together, a Temporal upgrade, a network cut) waits for it, saying so, instead of exiting: nothing
// else would start it again outside Kubernetes, and inside it a crash loop only delays the start.
import { setTimeout as sleep } from 'node:timers/promises';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import { type Backoff, retryDelayMs } from '../backoff';
import { log } from '../log';

/** About 1 s after the first failure, then doubling, never more than 15 s apart. */
const CONNECT_BACKOFF: Backoff = { initialMs: 1000, maxMs: 15_000 };

/** Connects, retrying until Temporal answers; undefined if `stop` is aborted first. */
export async function connectWhenReachable(options: NativeConnectionOptions, stop: AbortSignal): Promise<NativeConnection | undefined> {
  for (let failures = 1; !stop.aborted; failures++) {
    try {
      return await NativeConnection.connect(options);
    } catch (err) {
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
