// Properties of decide() over generated rollouts: any strategy and weight plan (inside and outside
// what the CRD allows), any threshold, and any sequence of intervals whose hooks, metrics, gates and
// user signals pass, fail or say nothing. Each run is walked interval by interval through the same
// protocol the workflow uses (driver.ts) and the invariants are checked after every interval.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type AnalysisConfig, type AnalysisState, effectiveThreshold, initialAnalysisState } from '../../src/rollout/analysis';
import { nextWeight, TOTAL_WEIGHT } from '../../src/rollout/steps';
import { evaluateMetric } from '../../src/rollout/verdict';
import { type Answers, fail, type Final, interval, pass, podinfo } from './driver';

const RUNS = 2000;
const MAX_INTERVALS = 40;

const successRate = { name: 'request-success-rate', source: 'builtin', thresholdRange: { min: 99 } } as const;
const metric = {
  healthy: evaluateMetric(successRate, { value: 100 }, { canary: podinfo }),
  failing: evaluateMetric(successRate, { value: 80 }, { canary: podinfo }),
  noData: evaluateMetric(successRate, { value: null }, { canary: podinfo }),
  error: evaluateMetric(successRate, { error: 'connection refused' }, { canary: podinfo }),
};

const anyInt = fc.integer({ min: -20, max: 150 });

const config: fc.Arbitrary<AnalysisConfig> = fc
  .record({
    strategy: fc.constantFrom('canary', 'canary', 'canary', 'ab-testing', 'blue-green'),
    weights: fc.oneof(
      fc.record({ stepWeight: anyInt, maxWeight: anyInt }),
      fc.record({ stepWeights: fc.array(anyInt, { maxLength: 6 }), maxWeight: anyInt }),
      fc.record({ stepWeight: fc.integer({ min: 1, max: 50 }), maxWeight: fc.integer({ min: 1, max: 100 }) }),
    ),
    iterations: fc.integer({ min: -2, max: 8 }),
    threshold: fc.integer({ min: -2, max: 8 }),
    readinessEachInterval: fc.boolean(),
  })
  .map((c) => ({ ...c, canary: podinfo }));

const hooks = (name: string) => fc.constantFrom<Answers['preRollout']>([], [pass(name)], [pass(name)], [fail(name)]);

/** One interval's world: mostly healthy, sometimes not. */
const answers: fc.Arbitrary<Answers> = fc.record(
  {
    control: fc.constantFrom(undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 'pause', 'abort', 'promote'),
    rollbackHooks: fc.constantFrom([], [], [], [], [], [], [], [], [], [{ name: 'rollback', ok: true }]),
    preRollout: hooks('acceptance-test'),
    hooks: hooks('load-test'),
    metrics: fc.array(fc.constantFrom(metric.healthy, metric.healthy, metric.healthy, metric.failing, metric.noData, metric.error), { maxLength: 2 }),
    trafficIncrease: hooks('traffic-gate'),
    promotion: hooks('promotion-gate'),
    readiness: fc.constantFrom(undefined, undefined, undefined, {
      canary: { ready: false, message: 'waiting for rollout to finish: 0 of 1 updated replicas are available', deadlineExceeded: false },
      primary: { ready: true, message: '', deadlineExceeded: false },
    }),
  },
  { requiredKeys: [] },
);

interface Walk {
  config: AnalysisConfig;
  intervals: { before: AnalysisState; decision: Final; asked: readonly string[] }[];
}

/** Walks a rollout until it ends (promote, rollback) or the intervals run out. */
function walk(c: AnalysisConfig, worlds: readonly Answers[]): Walk {
  const intervals: Walk['intervals'] = [];
  let state = initialAnalysisState;
  for (const world of worlds) {
    const { decision, asked } = interval(c, state, world);
    intervals.push({ before: state, decision, asked });
    if (decision.kind === 'promote' || decision.kind === 'rollback') break;
    state = decision.state;
  }
  return { config: c, intervals };
}

const rollouts = fc.tuple(config, fc.array(answers, { minLength: 1, maxLength: MAX_INTERVALS })).map(([c, worlds]) => walk(c, worlds));

let tried = 0;
/** How the walked intervals ended, to show the properties met every kind of decision. */
const reached = new Map<string, number>();
const kindOf = (d: Final): string =>
  d.kind === 'rollback'
    ? `rollback:${d.reason.kind}`
    : d.kind === 'promote'
      ? `promote:${d.requested ? 'requested' : d.skipped === true ? 'skipped' : 'analysed'}`
      : d.kind;

function check(name: string, property: (w: Walk) => void): void {
  it(name, () => {
    fc.assert(
      fc.property(rollouts, (w) => {
        tried++;
        for (const { decision } of w.intervals) reached.set(kindOf(decision), (reached.get(kindOf(decision)) ?? 0) + 1);
        property(w);
      }),
      { numRuns: RUNS },
    );
  });
}

describe(`decide() over generated rollouts (${RUNS} per property)`, () => {
  check('asks for each step at most once per interval, and always comes to a decision', (w) => {
    for (const { asked } of w.intervals) assert.equal(new Set(asked).size, asked.length, `asked twice: ${asked.join(', ')}`);
  });

  check('counts failed checks one at a time, never down, and rolls back exactly when they reach the threshold', (w) => {
    const threshold = effectiveThreshold(w.config);
    for (const { before, decision } of w.intervals) {
      const delta = decision.state.failedChecks - before.failedChecks;
      assert.ok(delta === 0 || delta === 1, `failed checks moved by ${delta}`);
      if (decision.kind === 'rollback' && decision.reason.kind === 'failed-checks') {
        assert.equal(decision.state.failedChecks, threshold);
      } else {
        assert.ok(decision.state.failedChecks < threshold, `${decision.state.failedChecks} failed checks (threshold ${threshold}) and no rollback`);
      }
    }
  });

  check('moves the canary weight forward only, one planned step at a time, with routes that add up to 100', (w) => {
    if (w.config.strategy !== 'canary') return;
    const seen = new Set<number>();
    for (const { before, decision } of w.intervals) {
      assert.ok(decision.state.canaryWeight >= before.canaryWeight, `weight ${before.canaryWeight} -> ${decision.state.canaryWeight}`);
      if (decision.kind !== 'advance') {
        assert.equal(decision.state.canaryWeight, before.canaryWeight, `a ${decision.kind} moved the weight`);
        continue;
      }
      const weight = decision.state.canaryWeight;
      assert.equal(weight, nextWeight(w.config.weights, before.canaryWeight));
      assert.deepEqual(decision.routes, { primary: TOTAL_WEIGHT - weight, canary: weight });
      assert.ok(!seen.has(weight), `advanced to ${weight} twice`);
      seen.add(weight);
      assert.equal(decision.events.filter((e) => e.message.startsWith('Advance ')).length, 1);
    }
  });

  check('promotes unasked only a rollout analysed to its end, never one that failed a check in that interval', (w) => {
    for (const { before, decision } of w.intervals) {
      if (decision.kind !== 'promote' || decision.requested || decision.skipped === true) continue;
      assert.equal(decision.state.failedChecks, before.failedChecks, 'promoted in an interval that counted a failure');
      assert.ok(decision.state.preRolloutPassed, 'promoted before the pre-rollout hooks passed');
      if (w.config.strategy === 'canary') {
        assert.equal(
          nextWeight(w.config.weights, decision.state.canaryWeight),
          undefined,
          `promoted at weight ${decision.state.canaryWeight} with steps left`,
        );
        assert.ok(decision.state.canaryWeight > 0, 'promoted with no traffic ever analysed');
      } else {
        assert.ok(decision.state.iteration >= w.config.iterations, `promoted after ${decision.state.iteration} of ${w.config.iterations} iterations`);
      }
    }
  });

  check('a pause changes nothing but the suspension, and says so once', (w) => {
    for (const { before, decision } of w.intervals) {
      if (decision.kind !== 'paused') continue;
      assert.deepEqual(decision.state, { ...before, suspended: true });
      assert.equal(decision.events.length, before.suspended ? 0 : 1);
    }
  });

  check('every Event has a message and a level', (w) => {
    for (const { decision } of w.intervals) {
      for (const e of decision.events) {
        assert.ok(e.message.trim().length > 0, 'an empty Event message');
        assert.ok(['info', 'warning', 'error'].includes(e.level), `level ${e.level}`);
      }
    }
  });

  it('walked rollouts that met every kind of decision', () => {
    const counts = [...reached]
      .sort()
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    console.log(`# decide(): ${tried} generated rollouts walked; intervals ended in: ${counts}`);
    assert.ok(tried >= 6 * RUNS, `only ${tried} rollouts tried`);
    for (const kind of [
      'advance',
      'hold',
      'paused',
      'await-approval',
      'promote:analysed',
      'promote:requested',
      'rollback:failed-checks',
      'rollback:aborted',
      'rollback:no-plan',
    ]) {
      assert.ok((reached.get(kind) ?? 0) > 0, `no generated interval ended in ${kind}: ${counts}`);
    }
  });
});
