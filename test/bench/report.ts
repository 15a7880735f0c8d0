// The bench's tables, in Markdown: printed at the end of a run and written into docs/performance.md.
import { type Footprint, PERCH_ROLES as PERCH, total as sum } from './context';
import { type FleetResult } from './fleet';
import type { Results } from './main';
import { SEED_INTERVAL_S } from './seed';
import { type Spread } from './stats';
import { targetsTable } from './targets';

type Cell = number | string | undefined;
type Row = [figure: string, perch: Cell, flagger: Cell, ratio?: Cell];

const num = (x: Cell) => (x === undefined ? '—' : typeof x === 'number' ? String(Math.round(x * 100) / 100) : x);
function ratio(p: Cell, f: Cell): string {
  if (typeof p !== 'number' || typeof f !== 'number' || f === 0) return '—';
  const r = p / f;
  return r >= 10 ? `${Math.round(r)}×` : `${r.toFixed(2)}×`;
}

function table(rows: readonly Row[]): string {
  const lines = ['| figure | Perch | Flagger 1.44 | Perch / Flagger |', '|---|---:|---:|---:|'];
  for (const [figure, p, f, r] of rows) lines.push(`| ${figure} | ${num(p)} | ${num(f)} | ${r ?? ratio(p, f)} |`);
  return lines.join('\n');
}

/** "285 (worker 200 + watcher 85)" */
function perchParts(f: Footprint | undefined, key: 'rssMiB' | 'cpuSeconds'): string {
  const parts = PERCH.filter((r) => f?.[r]).map((r) => `${r} ${num(f?.[r]?.[key])}`);
  return `${num(sum(f, key, PERCH))} (${parts.join(' + ')})`;
}
/** CPU per second of wall time, in ms/s, by role. */
function perSecond(f: Footprint | undefined, windowS: number): Footprint | undefined {
  if (!f) return undefined;
  return Object.fromEntries(Object.entries(f).map(([role, u]) => [role, { ...u, cpuSeconds: (u.cpuSeconds * 1000) / windowS }]));
}
const pair = (s: Spread) => (s.n === 0 ? undefined : `${num(s.p50)} / ${num(s.p99)}`);

function seedTable(r: Results): string {
  const s = r.seed;
  if (!s) return '';
  const { perch: p, flagger: f } = s;
  const period = (x: number[]) => {
    const sorted = [...x].sort((a, b) => a - b);
    return sorted.length ? `${num(sorted[Math.floor((sorted.length - 1) / 2)])} [${num(sorted[0])}–${num(sorted[sorted.length - 1])}]` : undefined;
  };
  const med = (x: number[]) => [...x].sort((a, b) => a - b)[Math.floor((x.length - 1) / 2)];
  const rows: Row[] = [
    ['seed applied → Initialized (s)', p.initializedS, f.initializedS],
    ['CPU from start to Initialized (s)', sum(p.atInitialized, 'cpuSeconds', PERCH), sum(f.atInitialized, 'cpuSeconds')],
    [
      'RSS at Initialized (MiB)',
      perchParts(p.atInitialized, 'rssMiB'),
      sum(f.atInitialized, 'rssMiB'),
      ratio(sum(p.atInitialized, 'rssMiB', PERCH), sum(f.atInitialized, 'rssMiB')),
    ],
    ['set image → "New revision detected" (s)', p.promotion.detectS, f.promotion.detectS],
    [`set image → "Promotion completed" (s; ideal ${SEED_INTERVAL_S * 10} + readiness)`, p.promotion.doneS, f.promotion.doneS],
    ['readiness: set image → the first "Advance" (s)', p.promotion.firstAdvanceS, f.promotion.firstAdvanceS],
    ["readiness: the primary's rollout after the copy (s)", p.promotion.primaryRolloutS, f.promotion.primaryRolloutS],
    [
      `period between "Advance" Events (s; interval ${SEED_INTERVAL_S}): median [min–max]`,
      period(p.promotion.periodsS),
      period(f.promotion.periodsS),
      ratio(med(p.promotion.periodsS), med(f.promotion.periodsS)),
    ],
    ['rollback: set image → "New revision detected" (s)', p.rollback.detectS, f.rollback.detectS],
    ['set image → "Canary failed" under /status/500 (s)', p.rollback.doneS, f.rollback.doneS],
    [
      'CPU for the two rollouts (s)',
      perchParts(p.rollouts, 'cpuSeconds'),
      sum(f.rollouts, 'cpuSeconds'),
      ratio(sum(p.rollouts, 'cpuSeconds', PERCH), sum(f.rollouts, 'cpuSeconds')),
    ],
    [
      'peak RSS during the rollouts (MiB)',
      perchParts(p.rollouts, 'rssMiB'),
      sum(f.rollouts, 'rssMiB'),
      ratio(sum(p.rollouts, 'rssMiB', PERCH), sum(f.rollouts, 'rssMiB')),
    ],
    [
      'Temporal dev server: RSS at Initialized, peak in rollouts (MiB)',
      `${num(s.temporal.atInitialized.rssMiB)}, ${num(s.temporal.rollouts.rssMiB)}`,
      '—',
      '—',
    ],
    ['Temporal dev server: CPU for the two rollouts (s)', s.temporal.rollouts.cpuSeconds, '—', '—'],
  ];
  if (s.idle && p.idle && f.idle) {
    const { windowS, rolloutsS } = s.idle;
    const [pIdle, fIdle] = [perSecond(p.idle, windowS), perSecond(f.idle, windowS)];
    rows.push(
      [`CPU idle after Initialized, over ${windowS} s (ms per s)`, perchParts(pIdle, 'cpuSeconds'), sum(fIdle, 'cpuSeconds')],
      [
        `the same idle rate over the rollouts' ${num(rolloutsS)} s (s)`,
        (sum(pIdle, 'cpuSeconds', PERCH) * rolloutsS) / 1000,
        (sum(fIdle, 'cpuSeconds') * rolloutsS) / 1000,
      ],
    );
  }
  const h = p.history;
  if (h) {
    rows.push(
      [
        'promotion history: events / workflow tasks / activities / actions',
        `${h.promotion.events} / ${h.promotion.workflowTasks} / ${h.promotion.activities} / ${h.promotion.actions}`,
        '—',
        '—',
      ],
      [
        'per analysis step: events / workflow tasks / activities / actions',
        `${h.perStep.events} / ${h.perStep.workflowTasks} / ${h.perStep.activities} / ${h.perStep.actions}`,
        '—',
        '—',
      ],
      [
        'rollback history: events / workflow tasks / activities / actions',
        `${h.rollback.events} / ${h.rollback.workflowTasks} / ${h.rollback.activities} / ${h.rollback.actions}`,
        '—',
        '—',
      ],
    );
  }
  return `### Seed: one Canary each, interval ${SEED_INTERVAL_S} s\n\n${table(rows)}\n`;
}

const lateText = (l: { steps: number; inSaturation: number }) => `${l.steps}; ${l.inSaturation}`;

function fleetTable(x: FleetResult): string {
  const { perch: p, flagger: f, n } = x;
  const init = (s: typeof p) => s.initializedS ?? `${s.initialized}/${n} in bound`;
  const cpuPct = (fp: Footprint, roles?: string[]) => Math.round((sum(fp, 'cpuSeconds', roles) / x.idleS) * 1000) / 10;
  const rows: Row[] = [
    ['Canaries applied → all Initialized (s)', init(p), init(f)],
    [
      'CPU from the first Canary applied to all Initialized (s)',
      perchParts(p.atInitialized, 'cpuSeconds'),
      sum(f.atInitialized, 'cpuSeconds'),
      ratio(sum(p.atInitialized, 'cpuSeconds', PERCH), sum(f.atInitialized, 'cpuSeconds')),
    ],
    ['idle: RSS (MiB)', perchParts(p.idle, 'rssMiB'), sum(f.idle, 'rssMiB'), ratio(sum(p.idle, 'rssMiB', PERCH), sum(f.idle, 'rssMiB'))],
    ['idle: CPU (% of one core)', cpuPct(p.idle, PERCH), cpuPct(f.idle), ratio(cpuPct(p.idle, PERCH), cpuPct(f.idle))],
    [
      `${x.rolled} rolling: set image → "New revision detected" p50 / p99 (s)`,
      pair(p.rolling.detectS),
      pair(f.rolling.detectS),
      ratio(p.rolling.detectS.p99, f.rolling.detectS.p99) + ' (p99)',
    ],
    ...(p.rolling.slowDetections && f.rolling.slowDetections
      ? ([
          [
            'detections slower than 1 s; of them, overlapping a saturated stretch',
            `${p.rolling.slowDetections.detections}; ${p.rolling.slowDetections.inSaturation}`,
            `${f.rolling.slowDetections.detections}; ${f.rolling.slowDetections.inSaturation}`,
            '—',
          ],
        ] satisfies Row[])
      : []),
    ...(p.rolling.detection
      ? ([
          [
            'detection, part 1: set image → the signal it answered, in the workflow history p50 / p99 (s)',
            pair(p.rolling.detection.signalS),
            '—',
            '—',
          ],
          ['detection, part 2: the signal → "New revision detected" p50 / p99 (s)', pair(p.rolling.detection.eventS), '—', '—'],
          ...(p.rolling.detection.dispatchS
            ? ([
                ['of which the signal → its workflow task started on the worker p50 / p99 (s)', pair(p.rolling.detection.dispatchS), '—', '—'],
              ] satisfies Row[])
            : []),
        ] satisfies Row[])
      : []),
    [
      'step lateness against the ideal tick p50 / p99 (s)',
      pair(p.rolling.latenessS),
      pair(f.rolling.latenessS),
      ratio(p.rolling.latenessS.p99, f.rolling.latenessS.p99) + ' (p99)',
    ],
    ...(p.rolling.late && f.rolling.late
      ? ([
          ['steps more than 1 s late; of them, waiting through a saturated stretch', lateText(p.rolling.late), lateText(f.rolling.late), '—'],
        ] satisfies Row[])
      : []),
    [
      'set image → "Promotion completed" p50 / p99 (s)',
      pair(p.rolling.doneS),
      pair(f.rolling.doneS),
      ratio(p.rolling.doneS.p99, f.rolling.doneS.p99) + ' (p99)',
    ],
    ['promoted within the bound', `${p.rolling.promoted}/${x.rolled}`, `${f.rolling.promoted}/${x.rolled}`, '—'],
    [
      'rolling: peak RSS (MiB)',
      perchParts(p.rolling.footprint, 'rssMiB'),
      sum(f.rolling.footprint, 'rssMiB'),
      ratio(sum(p.rolling.footprint, 'rssMiB', PERCH), sum(f.rolling.footprint, 'rssMiB')),
    ],
    [
      'rolling: CPU (s)',
      perchParts(p.rolling.footprint, 'cpuSeconds'),
      sum(f.rolling.footprint, 'cpuSeconds'),
      ratio(sum(p.rolling.footprint, 'cpuSeconds', PERCH), sum(f.rolling.footprint, 'cpuSeconds')),
    ],
    [
      'Temporal dev server RSS (MiB): Initialized / idle peak / rolling peak',
      `${x.temporal.atInitialized.rssMiB} / ${x.temporal.idle.rssMiB} / ${x.temporal.rolling.rssMiB}`,
      '—',
      '—',
    ],
    [
      'Temporal dev server CPU (s): to Initialized / idle / rolling',
      `${x.temporal.atInitialized.cpuSeconds} / ${x.temporal.idle.cpuSeconds} / ${x.temporal.rolling.cpuSeconds}`,
      '—',
      '—',
    ],
  ];
  const c = x.cluster;
  if (c) {
    rows.push([
      'local cluster CPU, shared by both (s): to Initialized / idle / rolling',
      `${c.atInitialized.cpuSeconds} / ${c.idle.cpuSeconds} / ${c.rolling.cpuSeconds}`,
      '—',
      '—',
    ]);
  }
  const m = x.rolling?.machine;
  if (m) {
    rows.push([
      'machine busy while rolling',
      `mean ${num(m.busyFraction * 100)} %, saturated ${num(m.saturatedS)} s (longest ${num(m.longestSaturatedS)} s)`,
      '—',
      '—',
    ]);
  }
  const h = p.history;
  if (h) {
    rows.push(
      [
        'history per rollout (median): events / workflow tasks / activities / actions',
        `${h.perRollout.events} / ${h.perRollout.workflowTasks} / ${h.perRollout.activities} / ${h.perRollout.actions}`,
        '—',
        '—',
      ],
      [
        'per analysis step (median): events / workflow tasks / activities / actions',
        `${h.perStep.events} / ${h.perStep.workflowTasks} / ${h.perStep.activities} / ${h.perStep.actions}`,
        '—',
        '—',
      ],
    );
  }
  return `### Fleet: ${n} Canaries each, ${x.rolled} rolling, interval ${x.intervalS} s (${x.nodes} kwok node(s))\n\n${table(rows)}\n`;
}

function floorTable(r: Results): string {
  const x = r.floor;
  if (!x) return '';
  const m = x.median;
  const flagger = r.seed ? sum(r.seed.flagger.rollouts, 'cpuSeconds') : undefined;
  const rows: Row[] = [
    ["CPU for the seed's two rollouts (s; Flagger's from the seed scenario, real cluster)", m.cpuSeconds, flagger],
    ['every counted round (s)', x.rounds.map((c) => num(c.cpuSeconds)).join(', '), undefined, '—'],
    [
      'workflow tasks / activity tasks / local activities / history events',
      `${m.workflowTasks} / ${m.activities} / ${m.localActivities} / ${m.events}`,
      undefined,
      '—',
    ],
    ...(x.machinery?.runs ?? []).map((run): Row => [
      `Temporal's machinery alone: ${x.machinery?.ticks} ticks, ${run.callsPerTick} local activities after each (s)`,
      run.cpuSeconds,
      flagger,
    ]),
  ];
  return `### Floor: the seed's two rollouts on an in-memory cluster, interval ${x.intervalS} s (Perch's workflow and Temporal's machinery alone)\n\n${table(rows)}\n`;
}

function crowdedTable(r: Results): string {
  const c = r.crowded;
  if (!c) return '';
  const rows: Row[] = [
    [
      'RSS without the crowd (MiB)',
      `${c.watcher.without.rssMiB} (watcher)`,
      c.flagger.without.rssMiB,
      ratio(c.watcher.without.rssMiB, c.flagger.without.rssMiB),
    ],
    ['RSS with the crowd (MiB)', `${c.watcher.with.rssMiB} (watcher)`, c.flagger.with.rssMiB, ratio(c.watcher.with.rssMiB, c.flagger.with.rssMiB)],
    ['growth from the crowd (MiB)', c.watcher.with.rssMiB - c.watcher.without.rssMiB, c.flagger.with.rssMiB - c.flagger.without.rssMiB, '—'],
    [
      'start → ready without / with the crowd (s)',
      `${c.watcher.without.readyS} / ${c.watcher.with.readyS}`,
      `${c.flagger.without.readyS} / ${c.flagger.with.readyS}`,
      '—',
    ],
  ];
  const crowd = `${c.crowd.configMaps} ConfigMaps, ${c.crowd.secrets} Secrets, ${c.crowd.helmReleases} Helm release Secrets of ${c.crowd.helmReleaseKiB} KiB`;
  return `### Crowded namespace: ${crowd}, no Canary\n\n${table(rows)}\n`;
}

export function report(r: Results): string {
  const m = r.machine;
  const head =
    [
      `Run of ${r.startedAt} at commit ${r.commit}, ${Math.round((r.durationS ?? 0) / 60)} min; machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB,`,
      `load average ${m.load1} at the start and ${m.load1AtEnd ?? '?'} at the end. Flagger ${r.flagger.version}` +
        `${r.flagger.buildS !== undefined ? ` (built in ${r.flagger.buildS} s)` : ''}; workflow bundle ${Math.round(r.bundle.bytes / 1024)} KiB.`,
    ].join('\n') + (r.note ? `\n\nNote: ${r.note}.` : '');
  return [head, seedTable(r), floorTable(r), ...r.fleet.map(fleetTable), crowdedTable(r), targetsTable(r)].filter(Boolean).join('\n\n');
}
