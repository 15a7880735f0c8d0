// The bench's smoke run, in the test suite so that scripts/bench.sh keeps working: its smallest
// fleet and a small crowded namespace, Perch beside Flagger, and one round of the floor (the seed's
// rollouts on an in-memory cluster), through the bench's own code. The
// figures are not judged (a fleet of two on a shared machine says little); that every figure the
// report shows was measured, is. The seed scenario is left to the bench: the e2e tests roll the seed.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { openBench } from './context';
import { crowdedScenario } from './crowded';
import { fleetScenario, type FleetShape } from './fleet';
import { floorScenario } from './floor';
import type { Results } from './main';
import { machine } from './proc';
import { report } from './report';
import { targets } from './targets';
import { toolsBin } from '../deploy/install';
import { installCrds } from '../support/crds';

const FLAGGER = join(toolsBin, 'flagger');
/** Two Canaries per controller, one of them rolled (every tenth rolls). */
const SIZE = 2;
/** Two steps at 5 s and a short idle window: every figure of the fleet, in a quarter of the bench's time. */
const SHORT_FLEET: FleetShape = { intervalS: 5, idleS: 10, maxWeight: 10 };
const SMALL_CROWD = { configMaps: 40, secrets: 40, helmReleases: 2, helmReleaseKiB: 256 };

/** Paths to every number that is not finite, and to every value left undefined. */
function missing(value: unknown, path = ''): string[] {
  if (value === undefined) return [path];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => missing(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => missing(v, `${path}.${k}`));
  return [];
}

test("the bench's smallest fleet and a small crowd give every figure, for Perch and Flagger", { timeout: 480_000 }, async () => {
  assert.ok(existsSync(FLAGGER), `no Flagger at ${FLAGGER}: scripts/test.sh builds it (scripts/install/flagger.sh)`);
  const bench = await openBench({ flagger: FLAGGER });
  try {
    await installCrds(bench.kc);
    // Side by side, in namespaces of their own.
    const [fleetResult, crowded, floor] = await Promise.all([
      fleetScenario(bench, SIZE, SHORT_FLEET),
      crowdedScenario(bench, SMALL_CROWD),
      floorScenario(bench, 1),
    ]);
    const results: Results = {
      machine: machine(),
      startedAt: new Date().toISOString(),
      commit: 'smoke',
      flagger: { version: 'v1.44.0' },
      bundle: { bytes: 0 },
      floor,
      fleet: [fleetResult],
      crowded,
    };
    const [fleet] = results.fleet;
    assert.ok(fleet);
    for (const side of [fleet.perch, fleet.flagger]) {
      assert.equal(side.initialized, SIZE);
      assert.equal(side.rolling.promoted, fleet.rolled);
      for (const spread of [side.rolling.detectS, side.rolling.latenessS, side.rolling.doneS]) assert.ok(spread.n > 0, JSON.stringify(spread));
    }
    // Each detection split at the workflow's signal: both parts found, adding up to the whole.
    const parts = fleet.perch.rolling.detection;
    assert.ok(parts && parts.signalS.n === fleet.perch.rolling.detectS.n && parts.eventS.n === parts.signalS.n, JSON.stringify(parts));
    assert.ok((parts.signalS.p50 ?? -1) >= 0 && (parts.eventS.p50 ?? -1) >= (parts.dispatchS?.p50 ?? Infinity), JSON.stringify(parts));
    // The signal is the one the Event answered: never after it, never later than the whole detection.
    assert.ok((parts.eventS.min ?? -1) >= 0 && (parts.eventS.max ?? Infinity) <= (fleet.perch.rolling.detectS.max ?? 0) + 1, JSON.stringify(parts));
    assert.ok(fleet.perch.rolling.late && fleet.flagger.rolling.late, 'late steps counted');
    for (const side of [fleet.perch, fleet.flagger]) {
      const slow = side.rolling.slowDetections;
      assert.ok(slow && slow.inSaturation <= slow.detections && slow.detections <= side.rolling.detectS.n, JSON.stringify(slow));
    }
    assert.ok((fleet.perch.history?.perStep.events ?? 0) > 0, 'history per step');
    assert.ok((fleet.perch.history?.perRollout.events ?? 0) > 0, 'history per rollout');
    assert.ok(fleet.perch.idle.worker && fleet.perch.idle.watcher && fleet.flagger.idle.flagger, JSON.stringify(fleet.perch.idle));
    assert.ok(fleet.temporal.rolling.rssMiB > 0);
    assert.ok((fleet.cluster?.rolling.rssMiB ?? 0) > 0, 'cluster RSS while rolling');
    assert.ok((fleet.rolling?.machine.samples ?? 0) > 1, 'machine load while rolling');
    const crowd = results.crowded;
    assert.ok(crowd);
    for (const side of [crowd.watcher.without, crowd.watcher.with, crowd.flagger.without, crowd.flagger.with])
      assert.ok(side.rssMiB > 0 && side.readyS > 0, JSON.stringify(side));
    // The floor's two rollouts ran to their end: the steps' tasks, the checks' local activities.
    assert.ok(floor.median.cpuSeconds > 0 && floor.median.workflowTasks >= 15 && floor.median.localActivities >= 15, JSON.stringify(floor.median));
    // And the machinery beside it: as many ticks, with none, one and the floor's share of local activities.
    assert.deepEqual(
      floor.machinery?.runs.map((run) => run.callsPerTick),
      [0, 1, Math.round(floor.median.localActivities / floor.median.workflowTasks)],
    );
    assert.ok(
      floor.machinery.ticks === floor.median.workflowTasks && floor.machinery.runs.every((run) => run.cpuSeconds > 0),
      JSON.stringify(floor.machinery),
    );
    assert.deepEqual(missing(results), []);
    const text = report(results);
    assert.doesNotMatch(text, /undefined|NaN/);
    assert.match(text, new RegExp(`### Fleet: ${SIZE} Canaries each`));
    assert.match(text, /### Crowded namespace/);
    assert.match(text, /### Floor: /);
    assert.ok(targets(results).length > 0);
  } finally {
    await bench.close();
  }
});
