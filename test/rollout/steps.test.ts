import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxWeightOf, nextWeight, promotionPlan, weightPlan, weightPlanProblem, type WeightSpec } from '../../src/rollout/steps';

/** Flagger's walk as the behaviour reference describes it (§2.2), for parity checks. */
function flaggerWalk(spec: { stepWeight?: number; stepWeights?: number[]; maxWeight?: number }): number[] {
  const ladder = spec.stepWeights ?? [];
  const max = ladder.length > 0 ? Math.min(100, ladder.at(-1) ?? 100) : (spec.maxWeight ?? 0) > 0 ? (spec.maxWeight ?? 0) : 100;
  const step = (w: number): number => {
    if ((spec.stepWeight ?? 0) > 0 || ladder.length === 0) return spec.stepWeight ?? 0;
    const room = 100 - w;
    if (room === 0) return 1;
    if (w === 0) return Math.min(room, ladder[0] ?? 0);
    for (let i = 0; i < ladder.length - 1; i++) if (ladder[i] === w) return Math.min(room, (ladder[i + 1] ?? 0) - w);
    return room;
  };
  const walk: number[] = [];
  let w = 0;
  while (w < max && walk.length < 200) {
    const s = step(w);
    if (s <= 0) break;
    w = Math.min(100, w + s);
    walk.push(w);
  }
  return walk;
}

describe('weightPlan', () => {
  it('walks stepWeight up to maxWeight (the seed: 5 .. 50)', () => {
    assert.deepEqual(weightPlan({ stepWeight: 5, maxWeight: 50 }), [5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
  });
  it('overshoots a maxWeight that is not a multiple of stepWeight, as Flagger does', () => {
    assert.deepEqual(weightPlan({ stepWeight: 20, maxWeight: 50 }), [20, 40, 60]);
    assert.deepEqual(weightPlan({ stepWeight: 30 }), [30, 60, 90, 100]);
    assert.deepEqual(weightPlan({ stepWeight: 40, maxWeight: 90 }), [40, 80, 100]);
  });
  it('defaults maxWeight to 100 and caps it there', () => {
    assert.deepEqual(weightPlan({ stepWeight: 25 }), [25, 50, 75, 100]);
    assert.deepEqual(weightPlan({ stepWeight: 50, maxWeight: 150 }), [50, 100]);
    assert.deepEqual(weightPlan({ stepWeight: 100 }), [100]);
  });
  it('walks a stepWeights ladder; its top is maxWeight and spec.maxWeight is ignored', () => {
    assert.deepEqual(weightPlan({ stepWeights: [1, 10, 50], maxWeight: 50 }), [1, 10, 50]);
    assert.deepEqual(weightPlan({ stepWeights: [1, 10, 50], maxWeight: 30 }), [1, 10, 50]);
    assert.equal(maxWeightOf({ stepWeights: [1, 10, 50], maxWeight: 30 }), 50);
  });
  it('sorts, de-duplicates and caps a ladder where Flagger would stall', () => {
    assert.deepEqual(weightPlan({ stepWeights: [50, 10, 1] }), [1, 10, 50]);
    assert.deepEqual(weightPlan({ stepWeights: [10, 10, 50] }), [10, 50]);
    assert.deepEqual(weightPlan({ stepWeights: [10, 150] }), [10, 100]);
    assert.deepEqual(weightPlan({ stepWeights: [0, -5, 20, 60] }), [20, 60]);
    assert.deepEqual(flaggerWalk({ stepWeights: [10, 10, 50] }), [10], 'Flagger stalls at 10');
  });
  it('lets a positive stepWeight win over stepWeights', () => {
    assert.deepEqual(weightPlan({ stepWeight: 25, stepWeights: [1, 2], maxWeight: 50 }), [25, 50]);
    assert.deepEqual(weightPlan({ stepWeight: 0, stepWeights: [30, 60] }), [30, 60]);
  });
  it('is empty, with a reason, when there is no usable step', () => {
    for (const spec of [{}, { stepWeight: 0 }, { stepWeight: -5, maxWeight: 50 }, { stepWeights: [] }] as WeightSpec[]) {
      assert.deepEqual(weightPlan(spec), []);
      assert.match(weightPlanProblem(spec) ?? '', /positive stepWeight/);
    }
    assert.match(weightPlanProblem({ stepWeights: [0, -1] }) ?? '', /no weight above 0/);
    assert.equal(weightPlanProblem({ stepWeight: 5 }), undefined);
  });
  it('matches Flagger for every stepWeight and maxWeight from 1 to 100', () => {
    for (let step = 1; step <= 100; step++) {
      for (let max = 1; max <= 100; max++) {
        assert.deepEqual(
          weightPlan({ stepWeight: step, maxWeight: max }),
          flaggerWalk({ stepWeight: step, maxWeight: max }),
          `step ${step} max ${max}`,
        );
      }
    }
  });
  it('matches Flagger for every sorted ladder drawn from 1,5,10,20,25,50,75,100', () => {
    const pool = [1, 5, 10, 20, 25, 50, 75, 100];
    for (let mask = 1; mask < 1 << pool.length; mask++) {
      const ladder = pool.filter((_, i) => (mask & (1 << i)) !== 0);
      assert.deepEqual(weightPlan({ stepWeights: ladder }), flaggerWalk({ stepWeights: ladder }), ladder.join(','));
    }
  });
});

describe('nextWeight', () => {
  it('steps from the current weight, wherever it is', () => {
    assert.equal(nextWeight({ stepWeight: 10, maxWeight: 50 }, 15), 25);
    assert.equal(nextWeight({ stepWeight: 10, maxWeight: 50 }, 45), 55);
    assert.equal(nextWeight({ stepWeights: [1, 10, 50] }, 5), 10);
    assert.equal(nextWeight({ stepWeights: [1, 10, 50] }, 0), 1);
  });
  it('is undefined once maxWeight is reached or passed: promotion is due', () => {
    assert.equal(nextWeight({ stepWeight: 5, maxWeight: 50 }, 50), undefined);
    assert.equal(nextWeight({ stepWeight: 20, maxWeight: 50 }, 60), undefined);
    assert.equal(nextWeight({ stepWeights: [1, 10, 50] }, 50), undefined);
    assert.equal(nextWeight({ stepWeight: 10 }, 100), undefined);
  });
  it('is undefined without a usable step', () => assert.equal(nextWeight({ maxWeight: 50 }, 0), undefined));
});

describe('promotionPlan', () => {
  it('returns all traffic at once by default', () => {
    assert.deepEqual(promotionPlan(50), [100]);
    assert.deepEqual(promotionPlan(50, 0), [100]);
    assert.deepEqual(promotionPlan(50, -10), [100]);
  });
  it('walks the primary back up by stepWeightPromotion', () => {
    assert.deepEqual(promotionPlan(50, 20), [70, 90, 100]);
    assert.deepEqual(promotionPlan(50, 50), [100]);
    assert.deepEqual(promotionPlan(100, 30), [30, 60, 90, 100]);
    assert.deepEqual(promotionPlan(100, 50), [50, 100]);
  });
  it('has one step when the canary carries no traffic (Flagger would wait forever)', () => {
    assert.deepEqual(promotionPlan(0, 20), [100]);
  });
});
