// Properties of the workflow state's transitions (src/workflows/state.ts) over generated sequences of
// them, in any order the workflow could apply them and in orders it should not: every transition is
// pure, the counters and the step list follow the Events reported, a rollout under way is not
// overwritten by a read of the Canary, the primary's revision is always one that was applied, and
// what a run leaves for the next survives the hand-over. The projections answer for every state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CANARY_PHASES, type CanaryStatus } from '../../src/api/canary';
import { type AnalysisState } from '../../src/rollout/analysis-types';
import { MAX_DETAIL_STEPS } from '../../src/rollout/details';
import { detailsOf, indexedValues, queryView, statusOf } from '../../src/workflows/projections';
import * as st from '../../src/workflows/state';
import { type CanaryState } from '../../src/workflows/state';

const RUNS = 1500;
const ref = { namespace: 'test', name: 'podinfo', targetName: 'podinfo' };
const NOW = '2026-12-03T10:00:00.000Z';

const revision = fc.constantFrom('rev-a', 'rev-b', 'rev-c', 'rev-d');
const target = fc.record({ revision, trackedConfigs: fc.dictionary(fc.constantFrom('configmap/x', 'secret/y'), fc.string({ maxLength: 4 })) });
const phase = fc.constantFrom(...CANARY_PHASES);
const count = fc.integer({ min: 0, max: 100 });
const status: fc.Arbitrary<CanaryStatus> = fc.record(
  {
    phase,
    canaryWeight: count,
    failedChecks: count,
    iterations: count,
    lastAppliedSpec: revision,
    lastPromotedSpec: revision,
    trackedConfigs: fc.dictionary(fc.constant('configmap/x'), fc.string({ maxLength: 4 })),
  },
  { requiredKeys: [] },
);
const analysis: fc.Arbitrary<AnalysisState> = fc.record({
  phase: fc.constantFrom('Progressing', 'WaitingPromotion'),
  canaryWeight: count,
  iteration: count,
  failedChecks: count,
  preRolloutPassed: fc.boolean(),
  awaitingTrafficIncrease: fc.boolean(),
  suspended: fc.boolean(),
});
const record = fc.record({
  revision,
  outcome: fc.constantFrom('Succeeded', 'Failed'),
  strategy: fc.constantFrom('canary', 'ab-testing', 'blue-green'),
  startedAt: fc.constant(NOW),
  finishedAt: fc.constant(NOW),
}) as fc.Arbitrary<st.RolloutRecord>;

/** One transition, named for the failure message, with what it was given. */
type Op =
  | { op: 'canaryLoaded'; status: CanaryStatus; generation: number }
  | { op: 'phaseSet'; phase: CanaryState['phase'] }
  | { op: 'problemFound'; problem: string | undefined }
  | { op: 'statusShown'; weight: number }
  | { op: 'eventReported'; message: string }
  | { op: 'checkRecorded'; name: string; ok: boolean }
  | { op: 'waitingAt'; gate: st.Gate | undefined }
  | { op: 'pauseSet'; paused: boolean }
  | { op: 'initialized' | 'rolloutStarted' | 'analysisRestarted' | 'backToPromoted'; target: st.TargetRevision }
  | { op: 'checksCleared' | 'promoted' }
  | { op: 'clockStarted'; at: number }
  | { op: 'analysisAdvanced'; analysis: AnalysisState }
  | { op: 'canaryWeightSet'; weight: number }
  | { op: 'rolloutFinished'; record: st.RolloutRecord };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('canaryLoaded' as const), status, generation: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ op: fc.constant('phaseSet' as const), phase }),
  fc.record({ op: fc.constant('problemFound' as const), problem: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }) }),
  fc.record({ op: fc.constant('statusShown' as const), weight: count }),
  fc.record({ op: fc.constant('eventReported' as const), message: fc.string({ minLength: 1, maxLength: 30 }) }),
  fc.record({ op: fc.constant('checkRecorded' as const), name: fc.constantFrom('request-success-rate', 'load-test'), ok: fc.boolean() }),
  fc.record({
    op: fc.constant('waitingAt' as const),
    gate: fc.constantFrom(undefined, 'confirm-rollout', 'confirm-traffic-increase', 'confirm-promotion'),
  }),
  fc.record({ op: fc.constant('pauseSet' as const), paused: fc.boolean() }),
  fc.record({ op: fc.constantFrom('initialized', 'rolloutStarted', 'analysisRestarted', 'backToPromoted'), target }),
  fc.record({ op: fc.constantFrom('checksCleared', 'promoted') }),
  fc.record({ op: fc.constant('clockStarted' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('analysisAdvanced' as const), analysis }),
  fc.record({ op: fc.constant('canaryWeightSet' as const), weight: count }),
  fc.record({ op: fc.constant('rolloutFinished' as const), record }),
);

function apply(s: CanaryState, o: Op): CanaryState {
  switch (o.op) {
    case 'canaryLoaded':
      return st.canaryLoaded(s, { canary: ref, status: o.status, generation: o.generation });
    case 'phaseSet':
      return st.phaseSet(s, o.phase);
    case 'problemFound':
      return st.problemFound(s, o.problem);
    case 'statusShown':
      return st.statusShown(s, { phase: s.phase, canaryWeight: o.weight, iterations: 0, failedChecks: 0 });
    case 'eventReported':
      return st.eventReported(s, { level: 'info', message: o.message }, NOW);
    case 'checkRecorded':
      return st.checkRecorded(s, { name: o.name, kind: 'metric', ok: o.ok, message: o.ok ? 'ok' : 'failed', at: NOW });
    case 'waitingAt':
      return st.waitingAt(s, o.gate);
    case 'pauseSet':
      return st.pauseSet(s, o.paused);
    case 'initialized':
      return st.initialized(s, o.target);
    case 'rolloutStarted':
      return st.rolloutStarted(s, o.target, NOW);
    case 'analysisRestarted':
      return st.analysisRestarted(s, o.target);
    case 'backToPromoted':
      return st.backToPromoted(s, o.target);
    case 'checksCleared':
      return st.checksCleared(s);
    case 'promoted':
      return st.promoted(s);
    case 'clockStarted':
      return st.clockStarted(s, o.at);
    case 'analysisAdvanced':
      return st.analysisAdvanced(s, o.analysis);
    case 'canaryWeightSet':
      return st.canaryWeightSet(s, o.weight);
    case 'rolloutFinished':
      return st.rolloutFinished(s, o.record);
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Each state of a generated sequence, with the transition that made it. */
function* states(ops: readonly Op[]): Generator<{ before: CanaryState; o: Op; after: CanaryState }> {
  let s = deepFreeze(st.initialState(ref));
  for (const o of ops) {
    const snapshot = JSON.stringify(s);
    // Frozen: a transition that edits its input in place throws here (test code runs in strict mode).
    const after = deepFreeze(apply(s, o));
    assert.equal(JSON.stringify(s), snapshot, `${o.op} changed the state it was given`);
    yield { before: s, o, after };
    s = after;
  }
}

const sequences = fc.array(op, { minLength: 1, maxLength: 60 });
let tried = 0;

function check(name: string, property: (ops: readonly Op[]) => void): void {
  it(name, () => {
    fc.assert(
      fc.property(sequences, (ops) => {
        tried++;
        property(ops);
      }),
      { numRuns: RUNS },
    );
  });
}

describe(`the workflow state over generated transition sequences (${RUNS} per property)`, () => {
  check('every transition is pure and every projection answers', (ops) => {
    for (const { after } of states(ops)) {
      statusOf(after, NOW);
      queryView(after);
      detailsOf(after);
      indexedValues(after);
    }
  });

  check('the Event count, the last Event and the step list follow what was reported', (ops) => {
    let events = 0;
    let steps = 0;
    let last: string | undefined;
    for (const { o, after } of states(ops)) {
      if (o.op === 'eventReported') [events, steps, last] = [events + 1, steps + 1, o.message];
      if (o.op === 'checkRecorded') steps++;
      assert.equal(after.eventCount, events);
      assert.equal(after.lastEvent, last);
      assert.equal(after.steps.length, Math.min(MAX_DETAIL_STEPS, steps));
    }
  });

  check('a read of the Canary during a rollout leaves the rollout as it is', (ops) => {
    for (const { before, o, after } of states(ops)) {
      if (o.op !== 'canaryLoaded' || before.rolloutStartedAt === undefined) continue;
      assert.deepEqual(
        [after.phase, after.applied, after.promoted, after.analysis, after.shown],
        [before.phase, before.applied, before.promoted, before.analysis, before.shown],
      );
      assert.equal(after.generation, o.generation);
    }
  });

  check("the primary's revision is always one that was applied or that the Canary showed as promoted", (ops) => {
    const known = new Set<string>();
    for (const { o, after } of states(ops)) {
      if ('target' in o) known.add(o.target.revision);
      if (o.op === 'canaryLoaded') {
        if (o.status.lastAppliedSpec !== undefined) known.add(o.status.lastAppliedSpec);
        if (o.status.lastPromotedSpec !== undefined) known.add(o.status.lastPromotedSpec);
      }
      if (after.promoted !== undefined) assert.ok(known.has(after.promoted), `promoted ${after.promoted}, never applied`);
      if (o.op === 'promoted' && after.applied !== undefined) assert.equal(after.promoted, after.applied.revision);
      if (o.op === 'promoted') assert.equal(after.analysis.canaryWeight, 0);
    }
  });

  check('a finished rollout leaves no start, clock or gate, and its aftermath survives into the next run', (ops) => {
    for (const { o, after } of states(ops)) {
      if (o.op === 'rolloutFinished') {
        assert.equal(after.rolloutStartedAt, undefined);
        assert.equal(after.clock, undefined);
        assert.equal(after.gate, undefined);
        assert.deepEqual(after.lastRollout, o.record);
      }
      const next = st.initialState(ref, st.aftermathOf(after));
      assert.deepEqual(next.lastRollout, after.lastRollout);
      if (after.lastRollout !== undefined) {
        assert.deepEqual(next.checks, after.checks);
        assert.equal(next.lastEvent, after.lastEvent);
      }
      assert.equal(next.eventCount, 0);
    }
  });

  it('tried generated sequences', () => {
    console.log(`# workflow state: ${tried} generated transition sequences applied`);
    assert.ok(tried >= 5 * RUNS, `only ${tried} sequences tried`);
  });
});
