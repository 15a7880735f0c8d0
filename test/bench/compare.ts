// Two bench runs side by side (docs/performance.md's before/after table): the main figures of each,
// Perch's before and after, Flagger's in each run, and the ratios. Figures a run lacks show as "—".
import { type Footprint, PERCH_ROLES as PERCH, total as sum } from './context';
import type { Results } from './main';

interface Figure {
  label: string;
  perch?: number;
  flagger?: number;
}

/** A footprint's total, undefined when the run has no such footprint. */
const total = (f: Footprint | undefined, key: 'rssMiB' | 'cpuSeconds', roles?: readonly string[]) =>
  f === undefined ? undefined : sum(f, key, roles);
const median = (x: readonly number[]) => (x.length ? [...x].sort((a, b) => a - b)[Math.floor((x.length - 1) / 2)] : undefined);

/** The figures compared, keyed by their label. */
function figures(r: Results): Figure[] {
  const out: Figure[] = [];
  const s = r.seed;
  if (s) {
    const { perch: p, flagger: f } = s;
    out.push(
      { label: 'seed: applied → Initialized (s)', perch: p.initializedS, flagger: f.initializedS },
      {
        label: 'seed: CPU from start to Initialized (s)',
        perch: total(p.atInitialized, 'cpuSeconds', PERCH),
        flagger: total(f.atInitialized, 'cpuSeconds'),
      },
      { label: 'seed: set image → "New revision detected" (s)', perch: p.promotion.detectS, flagger: f.promotion.detectS },
      { label: 'seed: set image → "Promotion completed" (s)', perch: p.promotion.doneS, flagger: f.promotion.doneS },
      { label: 'seed: period between "Advance" Events, median (s)', perch: median(p.promotion.periodsS), flagger: median(f.promotion.periodsS) },
      {
        label: 'seed: period between "Advance" Events, max (s)',
        perch: Math.max(...p.promotion.periodsS),
        flagger: Math.max(...f.promotion.periodsS),
      },
      { label: 'seed: set image → "Canary failed" (s)', perch: p.rollback.doneS, flagger: f.rollback.doneS },
      { label: 'seed: CPU for the two rollouts (s)', perch: total(p.rollouts, 'cpuSeconds', PERCH), flagger: total(f.rollouts, 'cpuSeconds') },
      { label: 'seed: peak RSS in the rollouts (MiB)', perch: total(p.rollouts, 'rssMiB', PERCH), flagger: total(f.rollouts, 'rssMiB') },
      { label: 'seed: history events per promotion', perch: p.history?.promotion.events },
      { label: 'seed: history events per analysis step', perch: p.history?.perStep.events },
      { label: 'seed: workflow tasks per analysis step', perch: p.history?.perStep.workflowTasks },
      { label: 'seed: activities per analysis step', perch: p.history?.perStep.activities },
      { label: 'seed: actions per promotion', perch: p.history?.promotion.actions },
    );
  }
  for (const x of [...r.fleet].sort((a, b) => a.n - b.n)) {
    const { perch: p, flagger: f } = x;
    const at = `fleet ${x.n}`;
    out.push(
      { label: `${at}: applied → all Initialized (s)`, perch: p.initializedS, flagger: f.initializedS },
      {
        label: `${at}: CPU to all Initialized (s)`,
        perch: total(p.atInitialized, 'cpuSeconds', PERCH),
        flagger: total(f.atInitialized, 'cpuSeconds'),
      },
      { label: `${at}: idle RSS (MiB)`, perch: total(p.idle, 'rssMiB', PERCH), flagger: total(f.idle, 'rssMiB') },
      { label: `${at}: detection p99 (s)`, perch: p.rolling.detectS.p99, flagger: f.rolling.detectS.p99 },
      { label: `${at}: step lateness p50 (s)`, perch: p.rolling.latenessS.p50, flagger: f.rolling.latenessS.p50 },
      { label: `${at}: step lateness p99 (s)`, perch: p.rolling.latenessS.p99, flagger: f.rolling.latenessS.p99 },
      { label: `${at}: set image → "Promotion completed" p50 (s)`, perch: p.rolling.doneS.p50, flagger: f.rolling.doneS.p50 },
      { label: `${at}: rolling peak RSS (MiB)`, perch: total(p.rolling.footprint, 'rssMiB', PERCH), flagger: total(f.rolling.footprint, 'rssMiB') },
      { label: `${at}: rolling CPU (s)`, perch: total(p.rolling.footprint, 'cpuSeconds', PERCH), flagger: total(f.rolling.footprint, 'cpuSeconds') },
      { label: `${at}: history events per analysis step`, perch: p.history?.perStep.events },
      { label: `${at}: history events per rollout`, perch: p.history?.perRollout.events },
    );
  }
  const c = r.crowded;
  if (c) {
    out.push(
      { label: 'crowded: watcher RSS without the crowd (MiB)', perch: c.watcher.without.rssMiB, flagger: c.flagger.without.rssMiB },
      { label: 'crowded: watcher RSS with the crowd (MiB)', perch: c.watcher.with.rssMiB, flagger: c.flagger.with.rssMiB },
    );
  }
  return out;
}

const num = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : String(Math.round(x * 100) / 100));
function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '—';
  const r = a / b;
  return Math.abs(r) >= 10 ? `${Math.round(r)}×` : `${r.toFixed(2)}×`;
}

/** The before/after table: every figure either run has, in the order the after run lists them. */
export function beforeAfter(before: Results, after: Results): string {
  const b = new Map(figures(before).map((f) => [f.label, f]));
  const a = figures(after);
  const labels = [...a.map((f) => f.label), ...[...b.keys()].filter((l) => !a.some((f) => f.label === l))];
  const lines = [
    `| figure | Perch before (${before.commit}) | Perch after (${after.commit}) | after / before | Flagger, before run | Flagger, after run | Perch / Flagger before | Perch / Flagger after |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const label of labels) {
    const x = b.get(label) ?? { label };
    const y = a.find((f) => f.label === label) ?? { label };
    lines.push(
      `| ${label} | ${num(x.perch)} | ${num(y.perch)} | ${ratio(y.perch, x.perch)} | ${num(x.flagger)} | ${num(y.flagger)} | ${ratio(x.perch, x.flagger)} | ${ratio(y.perch, y.flagger)} |`,
    );
  }
  return lines.join('\n');
}
