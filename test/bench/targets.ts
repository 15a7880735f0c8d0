// The performance targets of issue 12, each judged from one run's figures: met, not met, or not
// measured (the run did not include what the target needs, e.g. a fleet of 1,000).
import { PERCH_ROLES as PERCH, total } from './context';
import { type FleetResult } from './fleet';
import type { Results } from './main';
import { SEED_INTERVAL_S } from './seed';

export type Verdict = 'met' | 'not met' | 'not measured';

export interface TargetResult {
  target: string;
  /** The figures the verdict rests on, as text. */
  figure: string;
  verdict: Verdict;
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const judge = (ok: boolean): Verdict => (ok ? 'met' : 'not met');
const medianOf = (x: readonly number[]) => [...x].sort((a, b) => a - b)[Math.floor((x.length - 1) / 2)];
/** Steps of the seed's analysis (maxWeight 50 / stepWeight 5): its ideal is that many intervals. */
const SEED_STEPS = 10;

function largestFleet(r: Results): FleetResult | undefined {
  return [...r.fleet].sort((a, b) => b.n - a.n)[0];
}

/** A fleet target wants N = 1,000: judged there, else shown at the largest N run. */
function atThousand(r: Results, target: string, pick: (f: FleetResult) => number | undefined, limit: number): TargetResult {
  const f = r.fleet.find((x) => x.n >= 1000);
  const largest = largestFleet(r);
  if (!f) {
    const v = largest && pick(largest);
    return { target, figure: largest ? `not run at N = 1,000; at N = ${largest.n}: ${v ?? '—'} s` : 'no fleet run', verdict: 'not measured' };
  }
  const v = pick(f);
  return { target, figure: `${v ?? '—'} s at N = ${f.n}`, verdict: v === undefined ? 'not measured' : judge(v < limit) };
}

export function targets(r: Results): TargetResult[] {
  const out: TargetResult[] = [];
  const s = r.seed;
  if (s) {
    const periods = s.perch.promotion.periodsS;
    const med = medianOf(periods);
    const worst = periods.reduce((m, p) => Math.max(m, Math.abs(p - SEED_INTERVAL_S)), 0);
    out.push({
      target: 'step period within 1% of the interval (seed)',
      figure:
        med === undefined
          ? '—'
          : `median ${med} s, furthest ${r2(worst)} s off (${r2((worst / SEED_INTERVAL_S) * 100)}%); interval ${SEED_INTERVAL_S} s`,
      verdict: med === undefined ? 'not measured' : judge(Math.abs(med - SEED_INTERVAL_S) <= SEED_INTERVAL_S / 100),
    });
    // Readiness is the workload's, twice: the canary's before the first step, the primary's after
    // the copy. Both wait out the seed's minReadySeconds (5 s) whatever the controller.
    const over = (side: typeof s.perch) => {
      const { doneS, firstAdvanceS, primaryRolloutS = 0 } = side.promotion;
      return doneS === undefined || firstAdvanceS === undefined
        ? undefined
        : r2(doneS - firstAdvanceS - primaryRolloutS - SEED_STEPS * SEED_INTERVAL_S);
    };
    const readiness = (side: typeof s.perch) => `${side.promotion.firstAdvanceS ?? '—'} + ${side.promotion.primaryRolloutS ?? 'not measured'}`;
    const p = over(s.perch);
    const f = over(s.flagger);
    out.push({
      target: `rollout wall time ≤ ideal (${SEED_STEPS * SEED_INTERVAL_S} s) + readiness + 2 s (seed)`,
      figure:
        p === undefined
          ? 'not measured (the run predates firstAdvanceS)'
          : `beyond ideal + readiness: Perch ${p} s, Flagger ${f ?? '—'} s (readiness, the canary's (set image → the first "Advance") + the primary's (its rollout after the copy): Perch ${readiness(s.perch)} s, Flagger ${readiness(s.flagger)} s)`,
      verdict: p === undefined ? 'not measured' : judge(p <= 2),
    });
  }
  out.push(atThousand(r, 'detection p99 < 1 s at N = 1,000', (f) => f.perch.rolling.detectS.p99, 1));
  out.push(atThousand(r, 'step lateness p99 < 1 s, 1,000 idle and 100 rolling', (f) => f.perch.rolling.latenessS.p99, 1));
  if (s) {
    const p = total(s.perch.rollouts, 'rssMiB', PERCH);
    const f = total(s.flagger.rollouts, 'rssMiB');
    out.push({
      target: "worker + watcher RSS ≤ 2× Flagger's (seed, peak in the rollouts)",
      figure: `${p} MiB vs ${f} MiB (${r2(p / f)}×)`,
      verdict: judge(p <= 2 * f),
    });
  }
  const sizes = [...r.fleet].sort((a, b) => a.n - b.n);
  const [small, large] = [sizes[0], sizes[sizes.length - 1]];
  if (small && large && large.n > small.n) {
    const slope = (pick: (f: FleetResult) => number) => r2(((pick(large) - pick(small)) * 1024) / (large.n - small.n));
    const p = slope((f) => total(f.perch.idle, 'rssMiB', PERCH));
    const f = slope((x) => total(x.flagger.idle, 'rssMiB'));
    out.push({
      target: "RSS per Canary grows no faster than Flagger's (idle fleets)",
      figure: `N ${small.n} → ${large.n}: Perch ${p} KiB, Flagger ${f} KiB per Canary`,
      verdict: judge(p <= f),
    });
  } else {
    out.push({ target: "RSS per Canary grows no faster than Flagger's (idle fleets)", figure: 'needs two fleet sizes', verdict: 'not measured' });
  }
  if (s) {
    const p = total(s.perch.rollouts, 'cpuSeconds', PERCH);
    const f = total(s.flagger.rollouts, 'cpuSeconds');
    const leanest = r.floor?.machinery?.runs.find((run) => run.callsPerTick === 1);
    // What the processes spend doing nothing, at the rate measured before the rollouts, over their length.
    const idle = s.idle && s.perch.idle ? (total(s.perch.idle, 'cpuSeconds', PERCH) * s.idle.rolloutsS) / s.idle.windowS : undefined;
    out.push({
      target: "CPU per rollout ≤ 2× Flagger's (seed, the two rollouts)",
      figure: `${r2(p)} s vs ${r2(f)} s (${r2(p / f)}×)${r.floor ? `; on an in-memory cluster ${r2(r.floor.median.cpuSeconds)} s (${r2(r.floor.median.cpuSeconds / f)}×)` : ''}${leanest ? `; Temporal's machinery alone, one local activity per task, ${r2(leanest.cpuSeconds)} s (${r2(leanest.cpuSeconds / f)}×)` : ''}${idle !== undefined ? `; Perch idle over as long, ${r2(idle)} s (${r2(idle / f)}×)` : ''}`,
      verdict: judge(p <= 2 * f),
    });
    out.push({
      target: "time from start to Initialized ≤ Flagger's (seed)",
      figure: `${s.perch.initializedS} s vs ${s.flagger.initializedS} s; CPU ${r2(total(s.perch.atInitialized, 'cpuSeconds', PERCH))} s vs ${r2(total(s.flagger.atInitialized, 'cpuSeconds'))} s`,
      verdict: judge(s.perch.initializedS <= s.flagger.initializedS),
    });
  }
  for (const f of sizes) {
    const p = f.perch.initializedS;
    const fl = f.flagger.initializedS;
    out.push({
      target: `time from start to Initialized ≤ Flagger's (fleet ${f.n})`,
      figure: `${p ?? `${f.perch.initialized}/${f.n}`} s vs ${fl ?? `${f.flagger.initialized}/${f.n}`} s`,
      verdict: p === undefined ? 'not met' : fl === undefined ? 'met' : judge(p <= fl),
    });
  }
  const c = r.crowded;
  if (c) {
    const growth = c.watcher.with.rssMiB - c.watcher.without.rssMiB;
    // Independent within the noise of one process's RSS between two starts.
    out.push({
      target: 'watcher RSS independent of ConfigMaps and Secrets no Canary uses',
      figure: `${c.watcher.without.rssMiB} → ${c.watcher.with.rssMiB} MiB (${growth >= 0 ? '+' : ''}${growth}); Flagger ${c.flagger.without.rssMiB} → ${c.flagger.with.rssMiB} MiB`,
      verdict: judge(growth <= 16),
    });
  }
  const steps = [
    ...(s?.perch.history ? [{ where: 'seed', events: s.perch.history.perStep.events }] : []),
    ...sizes.flatMap((f) => (f.perch.history ? [{ where: `fleet ${f.n}`, events: f.perch.history.perStep.events }] : [])),
  ];
  out.push({
    target: '≤ 25 history events per analysis step',
    figure: steps.length ? steps.map((x) => `${x.where}: ${x.events}`).join(', ') : '—',
    verdict: steps.length ? judge(steps.every((x) => x.events <= 25)) : 'not measured',
  });
  return out;
}

export function targetsTable(r: Results): string {
  const rows = targets(r).map((t) => `| ${t.target} | ${t.figure} | ${t.verdict} |`);
  return ['### Targets (issue 12)', '', '| target | figure | verdict |', '|---|---|---|', ...rows, ''].join('\n');
}
