// The side-by-side benchmark of Perch and Flagger 1.44 on the local stack (scripts/bench.sh runs it):
// each scenario for both controllers in one run; figures to <out>/results.json, tables to stdout
// and <out>/report.md. docs/performance.md says what each figure means.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { clearLeftovers } from './cluster';
import { openBench } from './context';
import { crowdedScenario, type CrowdedResult } from './crowded';
import { fleetScenario, type FleetResult } from './fleet';
import { floorScenario, type FloorResult } from './floor';
import { machine } from './proc';
import { report } from './report';
import { seedScenario, type SeedResult } from './seed';
import { installCrds } from '../support/crds';
import { runDir } from '../support/stack';
import { workflowBundlePath } from '../support/workflow-bundle';

const SCENARIOS = ['seed', 'floor', 'fleet', 'crowded'] as const;
type Scenario = (typeof SCENARIOS)[number];

export interface Results {
  machine: ReturnType<typeof machine> & { load1AtEnd?: number };
  startedAt: string;
  durationS?: number;
  commit: string;
  flagger: { version: string; buildS?: number };
  bundle: { bytes: number };
  seed?: SeedResult;
  floor?: FloorResult;
  fleet: FleetResult[];
  crowded?: CrowdedResult;
  /** Set by hand when a recorded run was put together from more than one (docs/performance/*.json). */
  note?: string;
}

const usage = `usage: bench [--scenario seed,floor,fleet,crowded] [--size 100,300,1000] [--out DIR]
       --flagger BIN [--flagger-build-seconds S] [--flagger-version V]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: SCENARIOS.join(',') },
      size: { type: 'string', default: '100,300,1000' },
      out: { type: 'string', default: join(runDir(), 'bench') },
      flagger: { type: 'string' },
      'flagger-build-seconds': { type: 'string' },
      'flagger-version': { type: 'string', default: 'v1.44.0' },
    },
  });
  const scenarios = values.scenario.split(',').map((s) => s.trim());
  const unknown = scenarios.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  const sizes = values.size.split(',').map(Number);
  if (!values.flagger || unknown.length > 0 || sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 2000)) {
    throw new Error(`${unknown.length ? `unknown scenario ${unknown.join(', ')}; ` : ''}${usage}`);
  }
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const has = (s: Scenario) => scenarios.includes(s);

  const started = Date.now();
  const results: Results = {
    machine: machine(),
    startedAt: new Date(started).toISOString(),
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname, encoding: 'utf8' }).trim(),
    flagger: { version: values['flagger-version'], ...(values['flagger-build-seconds'] ? { buildS: Number(values['flagger-build-seconds']) } : {}) },
    bundle: { bytes: statSync(workflowBundlePath()).size },
    fleet: [],
  };
  const save = () => writeFileSync(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const bench = await openBench({ flagger: values.flagger });
  try {
    await installCrds(bench.kc);
    const left = await clearLeftovers(bench.kc);
    if (left.length > 0) bench.say(`deleted what an earlier run left: ${left.join(', ')}`);
    // Each scenario's figures are saved as soon as they exist, so a later failure keeps them.
    if (has('seed')) {
      results.seed = await seedScenario(bench);
      save();
    }
    if (has('floor')) {
      results.floor = await floorScenario(bench);
      save();
    }
    if (has('fleet')) {
      for (const n of sizes) {
        results.fleet.push(await fleetScenario(bench, n));
        save();
      }
    }
    if (has('crowded')) {
      results.crowded = await crowdedScenario(bench);
      save();
    }
  } finally {
    results.durationS = Math.round((Date.now() - started) / 1000);
    results.machine.load1AtEnd = machine().load1;
    save();
    await bench.close();
    const text = report(results);
    writeFileSync(join(out, 'report.md'), text);
    process.stdout.write(text);
    bench.say(`figures in ${join(out, 'results.json')}, tables in ${join(out, 'report.md')}`);
  }
  const missing = shortfalls(results);
  if (missing.length > 0) throw new Error(`incomplete within the bounds: ${missing.join('; ')}`);
}

/** What did not finish within the bench's bounds: the figures stand, but the run is not clean. */
function shortfalls(r: Results): string[] {
  const out: string[] = [];
  for (const f of r.fleet) {
    for (const kind of ['perch', 'flagger'] as const) {
      const s = f[kind];
      if (s.initialized < f.n) out.push(`fleet ${f.n}: ${kind} initialized ${s.initialized}/${f.n}`);
      if (s.rolling.promoted < f.rolled) out.push(`fleet ${f.n}: ${kind} promoted ${s.rolling.promoted}/${f.rolled}`);
    }
  }
  return out;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
