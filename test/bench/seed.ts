// The seed's Canary (examples/seed) at a 10 s interval, for Perch and Flagger side by side, each in
// its own namespace and virtual host: both rollouts start within a millisecond of each other. A
// promotion under the seed's own load test, then a rollback under /status/500 traffic.
import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import type * as k8s from '@kubernetes/client-node';
import { type Canary } from '../../src/api/canary';
import { seedHost, seedManifests } from '../../src/demo/seed-manifests';
import { applyAll, deleteNamespace, freshNamespace, setImage } from './cluster';
import { type Bench, FAILED, footprint, type Footprint, periods, PROMOTED, rolloutTimes, type RolloutTimes, sampler, seconds } from './context';
import { type Controller, FlaggerController, PerchController } from './controllers';
import { type HistoryCost, rolloutCost } from './histories';
import { Recorder } from './recorder';
import { eventually, stack } from '../support/stack';

export const SEED_INTERVAL_S = 10;
/** After Initialized, both controllers are left alone this long, then measured idle this long. */
const SETTLE_S = 10;
const IDLE_WINDOW_S = 60;
const IMAGE = 'ghcr.io/stefanprodan/podinfo';

export interface SeedSide {
  /** Seed applied → Canary Initialized, s. */
  initializedS: number;
  /** From the processes' start to Initialized: CPU (s) and RSS (MiB) by role. */
  atInitialized: Footprint;
  /**
   * `firstAdvanceS`: image set → the first "Advance" Event, s (detection, scale-up, the canary's readiness).
   * `primaryRolloutS`: the primary Deployment's own rollout after the promotion's copy, s: its spec
   * changed → every replica updated and available (the workload's minReadySeconds included).
   */
  promotion: Omit<RolloutTimes, 'advances' | 'doneAt'> & { firstAdvanceS?: number; primaryRolloutS?: number; periodsS: number[] };
  rollback: Omit<RolloutTimes, 'advances' | 'doneAt'>;
  /** Both rollouts: CPU used (s) and peak RSS (MiB) by role. */
  rollouts: Footprint;
  /** CPU used (s) by role while nothing happened, over `SeedResult.idle.windowS`. */
  idle?: Footprint;
  /** Perch only: the promotion's history, whole and per analysis step, and the rollback's. */
  history?: { promotion: HistoryCost; perStep: HistoryCost; rollback: HistoryCost };
}

export interface SeedResult {
  perch: SeedSide;
  flagger: SeedSide;
  temporal: { atInitialized: Footprint[string]; rollouts: Footprint[string] };
  /**
   * The idle window's length, and the rollouts' (set image → the rollback's end, both controllers):
   * what a process costs doing nothing, over as long as the rollouts took, is part of their CPU.
   * Absent from runs recorded before it was measured.
   */
  idle?: { windowS: number; rolloutsS: number };
}

/**
 * The seed's Canary at the bench's interval. `retries.retryOn` is set to Contour's own default (5xx):
 * Flagger 1.44 writes `retryOn: [""]` when it is missing, which Contour 1.33 rejects. Perch leaves
 * the empty value out, so for Perch the setting changes nothing.
 */
function seedObjects(namespace: string): k8s.KubernetesObject[] {
  const [canary] = seedManifests('podinfo-canary.yaml', namespace) as unknown as Canary[];
  if (!canary?.spec.service?.retries) throw new Error('the seed Canary changed shape: no service.retries');
  canary.spec.analysis.interval = `${SEED_INTERVAL_S}s`;
  canary.spec.service.retries.retryOn = '5xx';
  return [
    ...seedManifests('podinfo.yaml', namespace),
    canary as unknown as k8s.KubernetesObject,
    ...seedManifests('podinfo-ingress.yaml', namespace),
  ];
}

/** The seed's /status/500 traffic (docs/demo.md), bounded: stopped when the rollback ends, 5 min at most. */
function errorTraffic(namespace: string): ChildProcess {
  return spawn('hey', ['-x', stack().clusterProxy, '-z', '5m', '-c', '5', '-q', '5', `http://${seedHost(namespace)}/status/500`], {
    stdio: 'ignore',
  });
}

export async function seedScenario(b: Bench): Promise<SeedResult> {
  const perch = new PerchController('bench-seed-perch', b.tools);
  const flagger = new FlaggerController('bench-seed-flagger', b.tools);
  const controllers: Controller[] = [perch, flagger];
  const recorders = new Map<Controller, Recorder>();
  for (const c of controllers) {
    await freshNamespace(b.kc, c.namespace);
    const rec = new Recorder(b.kc, c.namespace, c.eventLogs());
    await rec.start();
    recorders.set(c, rec);
  }
  const rec = (c: Controller) => recorders.get(c) as Recorder;
  const sample = sampler(controllers);
  const both = <T>(fn: (c: Controller) => Promise<T>) => Promise.all(controllers.map(fn));
  const waitAll = (what: string, ms: number, done: (c: Controller) => boolean) =>
    eventually(what, ms, () => Promise.resolve(controllers.every(done) ? true : undefined));
  try {
    b.say('seed: starting Perch (worker, watcher) and Flagger');
    await both((c) => c.start());
    const applied = new Map<Controller, number>();
    await both(async (c) => {
      await applyAll(b.kc, seedObjects(c.namespace), 1);
      applied.set(c, Date.now());
    });
    await waitAll('both seed Canaries Initialized', 300_000, (c) => rec(c).reached('podinfo', 'Initialized') !== undefined);
    const atInit = sample.now();
    b.say(`seed: both Initialized; idle for ${SETTLE_S + IDLE_WINDOW_S} s`);
    await delay(SETTLE_S * 1000);
    const idleFrom = sample.now();
    await delay(IDLE_WINDOW_S * 1000);
    const beforeRollouts = sample.now();
    const rolloutsFrom = Date.now();
    b.say('seed: promoting 6.0.1');

    sample.start();
    const promoteAt = new Map<Controller, number>();
    await both(async (c) => promoteAt.set(c, await setImage(b.kc, c.namespace, 'podinfo', `${IMAGE}:6.0.1`)));
    await waitAll('both promotions', 600_000, (c) => rec(c).first('podinfo', PROMOTED, promoteAt.get(c)) !== undefined);
    b.say('seed: both promoted; rolling 6.0.2 back under /status/500');

    const traffic = controllers.map((c) => errorTraffic(c.namespace));
    const rollbackAt = new Map<Controller, number>();
    try {
      await both(async (c) => rollbackAt.set(c, await setImage(b.kc, c.namespace, 'podinfo', `${IMAGE}:6.0.2`)));
      await waitAll('both rollbacks', 600_000, (c) => rec(c).first('podinfo', FAILED, rollbackAt.get(c)) !== undefined);
    } finally {
      for (const t of traffic) t.kill('SIGTERM');
    }
    sample.stop();
    const afterRollouts = sample.now();
    const rolloutsS = seconds(Date.now() - rolloutsFrom);
    b.say('seed: both rolled back');

    const side = async (c: Controller): Promise<SeedSide> => {
      const roles = Object.keys(c.processes());
      const promotion = rolloutTimes(rec(c), 'podinfo', promoteAt.get(c) ?? 0, PROMOTED);
      const primaryRollout = rec(c).rollout('podinfo-primary', promoteAt.get(c) ?? 0);
      const rollback = rolloutTimes(rec(c), 'podinfo', rollbackAt.get(c) ?? 0, FAILED);
      const pick = (f: Footprint, peak: boolean) =>
        Object.fromEntries(roles.map((r) => [r, { ...f[r], rssMiB: peak ? Math.round(sample.peakRss(r)) : (f[r]?.rssMiB ?? 0) }])) as Footprint;
      const out: SeedSide = {
        initializedS: seconds((rec(c).reached('podinfo', 'Initialized') ?? 0) - (applied.get(c) ?? 0)),
        atInitialized: pick(footprint(atInit), false),
        promotion: {
          detectS: promotion.detectS,
          doneS: promotion.doneS,
          periodsS: periods(promotion.advances),
          ...(promotion.advances[0] !== undefined && { firstAdvanceS: seconds(promotion.advances[0] - (promoteAt.get(c) ?? 0)) }),
          ...(primaryRollout !== undefined && { primaryRolloutS: seconds(primaryRollout.end - primaryRollout.start) }),
        },
        rollback: { detectS: rollback.detectS, doneS: rollback.doneS },
        rollouts: pick(footprint(afterRollouts, beforeRollouts), true),
        idle: pick(footprint(beforeRollouts, idleFrom), false),
      };
      if (c === perch) {
        const p = await rolloutCost(b.temporal, c.namespace, 'podinfo', promoteAt.get(c) ?? 0, promotion.doneAt ?? Date.now(), promotion.advances);
        const r = await rolloutCost(b.temporal, c.namespace, 'podinfo', rollbackAt.get(c) ?? 0, rollback.doneAt ?? Date.now(), rollback.advances);
        out.history = { promotion: p.rollout, perStep: p.perStep, rollback: r.rollout };
      }
      return out;
    };
    const t = footprint(afterRollouts, beforeRollouts).temporal;
    return {
      perch: await side(perch),
      flagger: await side(flagger),
      temporal: {
        atInitialized: footprint(atInit).temporal ?? { rssMiB: 0, cpuSeconds: 0 },
        rollouts: { cpuSeconds: t?.cpuSeconds ?? 0, rssMiB: Math.round(sample.peakRss('temporal')) },
      },
      idle: { windowS: IDLE_WINDOW_S, rolloutsS },
    };
  } finally {
    sample.stop();
    await both((c) => c.stop());
    for (const r of recorders.values()) await r.stop();
    await both((c) => deleteNamespace(b.kc, c.namespace));
  }
}
