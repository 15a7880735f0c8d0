// What liveness and readiness mean for each entry point. Kubernetes restarts a process whose
// liveness fails and sends no traffic (here: no scrape is marked down) while readiness fails.
import { type State as WorkerState } from '@temporalio/worker';
import { type HttpRoutes, type Probe } from './server';

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

/**
 * The watcher is alive while its event loop answers (an unreachable Temporal is no reason to
 * restart it: it keeps the changes and retries). It is ready once its informers have listed and
 * while Temporal answers (`temporal`), so an outage shows on the Deployment.
 */
export function watcherProbes(synced: () => boolean, temporal: () => Probe): Probes {
  return {
    live: () => ({ ok: true, detail: 'watcher alive' }),
    ready: () => {
      if (!synced()) return { ok: false, detail: 'watcher informers not synced' };
      const t = temporal();
      return { ok: t.ok, detail: `watcher synced; ${t.detail}` };
    },
  };
}
