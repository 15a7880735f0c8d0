// What liveness and readiness mean for each entry point. Kubernetes restarts a process whose
// liveness fails and sends no traffic (here: no scrape is marked down) while readiness fails.
import { type State as WorkerState } from '@temporalio/worker';
import { type HttpRoutes } from './server';

type Probes = Pick<HttpRoutes, 'live' | 'ready'>;

/**
 * The worker is alive unless the SDK's Worker failed or stopped (a restart is the cure), and ready
 * only while it polls (RUNNING). `state` is undefined until Worker.create has connected.
 */
export function workerProbes(state: () => WorkerState | undefined): Probes {
  return {
    live: () => {
      const s = state();
      if (s === 'FAILED' || s === 'STOPPED') return { ok: false, detail: `worker ${s}` };
      return { ok: true, detail: `worker ${s ?? 'starting'}` };
    },
    ready: () => {
      const s = state();
      return { ok: s === 'RUNNING', detail: `worker ${s ?? 'starting'}` };
    },
  };
}

/** The watcher is alive while its event loop answers, and ready once its informers have listed. */
export function watcherProbes(synced: () => boolean): Probes {
  return {
    live: () => ({ ok: true, detail: 'watcher alive' }),
    ready: () => (synced() ? { ok: true, detail: 'watcher synced' } : { ok: false, detail: 'watcher informers not synced' }),
  };
}
