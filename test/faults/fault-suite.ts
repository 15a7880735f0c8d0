// The fault suite: the seed rollout at 5 s intervals with a fault injected mid-rollout, each rollout
// judged by the same invariants (invariants.ts) and timed from each disturbance's end to the
// rollout's next step forward. It runs on a stack of its own (port offset 900, started and cleaned
// by the suite itself), so stopping its parts never touches the stack the other test files use.
// Not part of `npm test`: `.ci/run` runs it beside the main suite; run it with `npm run test:faults`,
// which builds into dist-faults/ of its own, so the main suite's rebuilds of dist/ never rewrite
// the files its restarted workers and watchers load.
//
// Seven Canaries, each in its own namespace with its own worker and watcher, run side by side:
//   - fault-kill-1, fault-kill-2: the worker SIGKILLed at 5 seeded random points of each of two
//     rollouts, 20 kills in all;
//   - fault-delete: the Canary deleted mid-rollout;
//   - fault-watcher: the watcher SIGKILLed with the change made while it is dead, then mid-rollout;
//   - fault-hooks: a rollout webhook of the test's own (a local receiver) that hangs, that answers a
//     10 MB body, that redirects forever; hanging and redirecting fail its checks, so those
//     rollouts must end rolled back at the threshold, as Flagger's do;
//   - fault-temporal: Temporal stopped and started mid-rollout, then away when the change is made;
//   - fault-parts: the other shared parts, one fault per rollout, one after the other: Prometheus
//     stopped for 2 intervals, kube-apiserver 30 s, the data-plane simulator restarted.
// The shared parts' outages reach the other Canaries too (the two groups above each other's as
// well); their invariants hold all the same. Two groups, not one, so the suite lasts as long as its
// longest group (about 5 minutes) rather than as the five shared faults in a row.
//
// Kill points come from a seeded PRNG: the seed is printed, and PERCH_FAULT_SEED=<seed> replays the
// same points (they follow the rollout's stages, so a replay meets the same steps).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Canary } from '../../src/api/canary';
import { Receiver } from '../support/receiver';
import { stackClean, stackUp, useOwnStack } from '../support/stack-parts';
import { runDir } from '../support/stack';
import { describeResult, type Fault, type FaultResult, FaultScenario } from './fault-rollout';
import {
  hookMisbehaves,
  killPoints,
  killWatcherAt,
  killWatcherAtChange,
  killWorker,
  partDown,
  restartTemporal,
  temporalAwayAtChange,
} from './faults';
import { faultSeed, seededRandom } from './prng';

const FAULT_STACK_OFFSET = 900;
/** 20 kills: two Canaries (their own workers) side by side, two rollouts each, five kills per rollout. */
const KILL_CANARIES = 2;
const KILL_ROLLOUTS = 2;
const KILLS_PER_ROLLOUT = 5;
/** The seed's analysis: 10 steps of 5 % at 5 s intervals (test/support/seed.ts). */
const STEPS = 10;
const INTERVAL_MS = 5000;

const seed = faultSeed();
const random = seededRandom(seed);
const results: FaultResult[] = [];

type Context = { diagnostic(message: string): void };

function report(t: Context, r: FaultResult): void {
  results.push(r);
  const line = describeResult(r);
  t.diagnostic(line);
  console.log(`# fault ${line}`);
  assert.ok(
    r.recoverySeconds.every((s) => Number.isFinite(s)),
    `the rollout moved on after every disturbance: ${line}`,
  );
}

/** A Canary of its own (namespace `fault-<name>`, changed by `adapt`) for the length of `fn`. */
async function onOwnCanary(name: string, fn: (scenario: FaultScenario) => Promise<void>, adapt?: (canary: Canary) => void): Promise<void> {
  const scenario = new FaultScenario(`fault-${name}`, adapt);
  await scenario.setUp();
  try {
    await fn(scenario);
  } finally {
    await scenario.tearDown();
  }
}

/**
 * The failed checks a rollout that must promote can meet through no fault of its own, and so the
 * threshold of every Canary that must promote. The shared parts' outages reach every Canary:
 *   - Prometheus away fails each check while it is down or starting, then each while it has less
 *     than the metric's interval of data (src/activities/metrics/prometheus.ts `staleness`);
 *   - the data plane restarted leaves Prometheus's scrape target down for a check or two;
 *   - a worker killed mid-interval can leave that interval without its load test: one per kill.
 * The bound is their sum (14), not a guess: at the seed's 5, Prometheus's outage alone rolled
 * fault-parts back once in CI (5 of 5 failed checks, all of them Prometheus's).
 */
const PROMETHEUS_DOWN_MS = 2 * INTERVAL_MS;
/** Prometheus's restart on 2 loaded cores, a bound on it; and the seed's metric interval under test. */
const PROMETHEUS_START_MS = 5_000;
const METRIC_INTERVAL_MS = 15_000;
const PROMETHEUS_FAILED_CHECKS = Math.ceil((PROMETHEUS_DOWN_MS + PROMETHEUS_START_MS + METRIC_INTERVAL_MS) / INTERVAL_MS) + 1;
const DATAPLANE_FAILED_CHECKS = 2;
const SIDE_BY_SIDE_THRESHOLD = PROMETHEUS_FAILED_CHECKS + DATAPLANE_FAILED_CHECKS + KILLS_PER_ROLLOUT;
const sideBySide = (canary: Canary) => {
  canary.spec.analysis.threshold = SIDE_BY_SIDE_THRESHOLD;
};
/**
 * fault-hooks has no kills, and its hostile hook must be what rolls it back, after weight 20: one
 * failed check more than the shared parts can cost, as CI once saw its hanging-hook rollout rolled
 * back at the seed's 5 by Prometheus's outage alone, before the hook misbehaved.
 */
const HOOKS_THRESHOLD = PROMETHEUS_FAILED_CHECKS + DATAPLANE_FAILED_CHECKS + 1;

/** The hostile hook's timeout: a hanging receiver fails each check after this long. */
const HOOK_TIMEOUT = '2s';
/** The 10 MB answer, and the growth of the worker's peak memory it may cause (the body is read with a cap). */
const BIG_BODY = 'x'.repeat(10 << 20);
const MAX_PEAK_GROWTH_BYTES = 64 << 20;

/** A process's peak resident memory (VmHWM) in bytes. */
function peakMemory(pid: number | undefined): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid ?? 'missing'}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/** The whole file, the stack's start included: the suite's bound on 2 cores shared with the main suite. */
const SUITE_TIMEOUT_MS = 15 * 60_000;

describe('faults', { concurrency: true, timeout: SUITE_TIMEOUT_MS }, () => {
  const started = Date.now();
  // Drawn before anything runs, in a fixed order, so the seed alone decides every kill point.
  const plans = Array.from({ length: KILL_CANARIES }, () =>
    Array.from({ length: KILL_ROLLOUTS }, () => killPoints(random, KILLS_PER_ROLLOUT, STEPS, INTERVAL_MS)),
  );

  before(async () => {
    useOwnStack(FAULT_STACK_OFFSET);
    console.log(`# fault seed ${seed} (replay with PERCH_FAULT_SEED=${seed})`);
    await stackClean();
    await stackUp();
  });

  after(async () => {
    console.log(`# fault suite: ${results.length} faults in ${((Date.now() - started) / 1000).toFixed(0)} s (seed ${seed})`);
    for (const r of results) console.log(`#   ${describeResult(r)}`);
    // The stack's and Perch's logs outlive the stack, for a failure to be read after the run.
    const kept = join(tmpdir(), `perch-fault-logs-${FAULT_STACK_OFFSET}`);
    rmSync(kept, { recursive: true, force: true });
    cpSync(join(runDir(), 'logs'), kept, { recursive: true });
    console.log(`# fault suite logs: ${kept}`);
    await stackClean();
  });

  for (const [c, rollouts] of plans.entries()) {
    const kills = rollouts.flat().length;
    it(`survives its worker killed with SIGKILL at ${kills} seeded random points, canary ${c + 1} of ${KILL_CANARIES} (seed ${seed})`, (t) =>
      onOwnCanary(
        `kill-${c + 1}`,
        async (scenario) => {
          for (const [r, points] of rollouts.entries()) {
            report(t, await scenario.rollout(`worker SIGKILL x${points.length} (canary ${c + 1}, rollout ${r + 1})`, killWorker(points)));
          }
        },
        sideBySide,
      ));
  }

  it('ends the workflow cleanly when the Canary is deleted mid-rollout', (t) =>
    onOwnCanary('delete', async (scenario) => report(t, await scenario.deletedMidRollout(20)), sideBySide));

  it('survives the watcher killed with SIGKILL at the change and mid-rollout', (t) =>
    onOwnCanary(
      'watcher',
      async (scenario) => {
        report(t, await scenario.rollout('watcher SIGKILL at the change', killWatcherAtChange()));
        report(t, await scenario.rollout('watcher SIGKILL mid-rollout', killWatcherAt(20)));
      },
      sideBySide,
    ));

  it('ends right with a rollout webhook that hangs, answers 10 MB or redirects forever', async (t) => {
    const receiver = await Receiver.start();
    const path = '/hostile';
    const addHook = (canary: Canary) => {
      canary.spec.analysis.threshold = HOOKS_THRESHOLD;
      canary.spec.analysis.webhooks = [
        ...(canary.spec.analysis.webhooks ?? []),
        { name: 'hostile', type: 'rollout', url: receiver.url(path), timeout: HOOK_TIMEOUT },
      ];
    };
    try {
      await onOwnCanary(
        'hooks',
        async (scenario) => {
          const well = () => receiver.answer(200, 'OK');
          well();
          // Never answers: each check fails at the hook's timeout, and the threshold rolls back.
          report(
            t,
            await scenario.rollout(
              `webhook hangs (timeout ${HOOK_TIMEOUT})`,
              hookMisbehaves(receiver, 20, 'no answer', (r) => r.respondWith(() => ({ status: 200, delayMs: 3_600_000 }))),
              'Failed',
            ),
          );
          well();
          const pid = scenario.s.perch.pid('worker');
          const peakBefore = peakMemory(pid);
          const big = await scenario.rollout(
            'webhook answers 10 MB',
            hookMisbehaves(receiver, 20, '10 MB answers', (r) => r.answer(200, BIG_BODY)),
          );
          const growth = peakMemory(pid) - peakBefore;
          report(t, { ...big, detail: `${big.detail ?? ''}; the worker's peak memory grew ${(growth / 2 ** 20).toFixed(1)} MiB` });
          assert.ok(growth < MAX_PEAK_GROWTH_BYTES, `the worker's peak memory grew ${growth} bytes under 10 MB answers`);
          well();
          // A redirect to itself, forever: not followed (Flagger's client gives up after 10), the check fails.
          report(
            t,
            await scenario.rollout(
              'webhook redirects forever',
              hookMisbehaves(receiver, 20, '302 to itself', (r) => r.respondWith(() => ({ status: 302, headers: { location: r.url(path) } }))),
              'Failed',
            ),
          );
        },
        addHook,
      );
    } finally {
      await receiver.close();
    }
  });

  it('survives Temporal stopped mid-rollout and away at the change', (t) =>
    onOwnCanary(
      'temporal',
      async (scenario) => {
        report(t, await scenario.rollout('Temporal stopped and started', restartTemporal(15)));
        report(t, await scenario.rollout('Temporal away at the change, back 30 s later', temporalAwayAtChange(30_000)));
      },
      sideBySide,
    ));

  it('survives Prometheus, kube-apiserver and the data plane stopped', (t) =>
    onOwnCanary(
      'parts',
      async (scenario) => {
        const faults: [string, Fault][] = [
          ['Prometheus down 2 intervals', partDown('prometheus', 15, PROMETHEUS_DOWN_MS)],
          ['kube-apiserver down 30 s', partDown('kube-apiserver', 20, 30_000)],
          ['data-plane simulator restarted', partDown('dataplane', 15, 0)],
        ];
        for (const [name, fault] of faults) report(t, await scenario.rollout(name, fault));
      },
      sideBySide,
    ));
});
