// The fault suite: the seed rollout at 5 s intervals under every fault Perch promises to survive,
// each rollout judged by the same invariants (invariants.ts) and timed from each disturbance's end to
// the rollout's next step forward. It runs on a stack of its own (port offset 900), so stopping its
// parts never touches the stack the other tests use.
//
// Faults that stay inside one Canary's Perch processes or its webhook receiver run side by side,
// each Canary in its own namespace with its own worker and watcher; faults of shared parts (the
// apiserver, Temporal, Prometheus, the data-plane simulator) run one after the other on one Canary.
//
// Worker kills are placed by a seeded PRNG: the seed is printed, and PERCH_FAULT_SEED=<seed> replays
// the same kill points (the moments follow the rollout's stages, so a replay meets the same steps).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Receiver } from '../support/receiver';
import { stackClean, stackUp, useOwnStack } from '../support/stack-parts';
import { describeResult, type Fault, type FaultResult, FaultScenario } from './fault-rollout';
import {
  killPoints, killWatcher, killWorker, misbehavingHook, partDown, restartTemporal, temporalUnreachableAtChange,
} from './faults';
import { faultSeed, seededRandom } from './prng';

const FAULT_STACK_OFFSET = 900;
const WORKER_KILLS = 20;
/** Kill points per rollout: 20 kills over 4 rollouts, two Canaries side by side. */
const KILLS_PER_ROLLOUT = 5;
const KILL_CANARIES = 2;

const seed = faultSeed();
const random = seededRandom(seed);
const results: FaultResult[] = [];

type Context = { diagnostic(message: string): void };

function report(t: Context, r: FaultResult): void {
  results.push(r);
  const line = describeResult(r);
  t.diagnostic(line);
  console.log(`# fault ${line}`);
  assert.ok(r.recoverySeconds.every((s) => Number.isFinite(s)), `the rollout moved on after every disturbance: ${line}`);
}

/** A Canary of its own (namespace `fault-<name>`) rolled out once per fault, in order. */
async function onOwnCanary(t: Context, name: string, faults: [string, Fault][], scenario = new FaultScenario(`fault-${name}`)): Promise<void> {
  await scenario.setUp();
  try {
    for (const [fault, run] of faults) report(t, await scenario.rollout(fault, run));
  } finally {
    await scenario.tearDown();
  }
}

describe('faults', { timeout: 60 * 60_000 }, () => {
  const started = Date.now();

  before(async () => {
    useOwnStack(FAULT_STACK_OFFSET);
    console.log(`# fault seed ${seed} (replay with PERCH_FAULT_SEED=${seed})`);
    await stackClean();
    await stackUp();
  });

  after(async () => {
    console.log(`# fault suite: ${results.length} faulted rollouts in ${((Date.now() - started) / 1000).toFixed(0)} s (seed ${seed})`);
    for (const r of results) console.log(`#   ${describeResult(r)}`);
    await stackClean();
  });

  describe('side by side: faults of one Canary\'s own processes and receivers', { concurrency: true }, () => {
    const steps = 10;
    const interval = 5000;
    // Drawn here, in a fixed order, so the seed alone decides every kill point.
    const plans = Array.from({ length: KILL_CANARIES }, () =>
      Array.from({ length: WORKER_KILLS / KILL_CANARIES / KILLS_PER_ROLLOUT }, () => killPoints(random, KILLS_PER_ROLLOUT, steps, interval)));
    const hookFrom = { hang: random.int(1, 6), 'huge-body': random.int(1, 6), 'redirect-loop': random.int(1, 6) };
    let receiver: Receiver;

    before(async () => { receiver = await Receiver.start(); });
    after(() => receiver.close());

    plans.forEach((rollouts, i) => {
      it(`survives the worker killed with SIGKILL at ${rollouts.flat().length} random points (Canary ${i + 1} of ${KILL_CANARIES})`, (t) =>
        onOwnCanary(t, `kill-${i + 1}`, rollouts.map((points, r) => [`worker SIGKILL x${points.length} (Canary ${i + 1}, rollout ${r + 1})`, killWorker(points)])));
    });

    it('survives the watcher killed with SIGKILL while the change is made', (t) =>
      onOwnCanary(t, 'watcher', [['watcher SIGKILL at the change', killWatcher]]));

    for (const how of ['hang', 'huge-body', 'redirect-loop'] as const) {
      it(`survives a rollout webhook that answers with ${how} twice`, (t) => {
        const path = `/${how}`;
        const scenario = new FaultScenario(`fault-${how}`, [{ name: 'fault-hook', type: 'rollout', url: receiver.url(path) }]);
        return onOwnCanary(t, how, [[`webhook ${how}`, misbehavingHook(receiver, path, how, hookFrom[how], 2)]], scenario);
      });
    }
  });

  // One Canary: each fault gets a rollout of its own; a fault that fails leaves the next to roll
  // out the newest revision, which it judges from where the Canary stands.
  describe('one after the other: faults of shared parts', () => {
    let scenario: FaultScenario;
    before(async () => {
      scenario = new FaultScenario('fault-shared');
      await scenario.setUp();
    });
    after(() => scenario.tearDown());

    const faults: [string, Fault][] = [
      ['Temporal restarted', restartTemporal(15)],
      ['Temporal unreachable at the change', temporalUnreachableAtChange],
      ['kube-apiserver down 30 s', partDown('kube-apiserver', 20, 30_000)],
      ['Prometheus down 3 intervals', partDown('prometheus', 15, 3 * 5000)],
      ['data-plane simulator restarted', partDown('dataplane', 20, 0)],
    ];
    for (const [name, fault] of faults) {
      it(`survives: ${name}`, async (t) => report(t, await scenario.rollout(name, fault)));
    }
  });
});
