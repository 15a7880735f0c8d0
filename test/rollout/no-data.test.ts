// The `noData: hold` policy in decide(): a metric without data neither fails the check nor lets the
// rollout advance; a real failure next to it still counts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AnalysisConfig, type AnalysisState, initialAnalysisState } from '../../src/rollout/analysis';
import { evaluateMetric } from '../../src/rollout/verdict';
import { interval, messages, pass, podinfo } from './driver';

const config: AnalysisConfig = { canary: podinfo, strategy: 'canary', weights: { stepWeight: 10, maxWeight: 30 }, iterations: 0, threshold: 1 };
const at10: AnalysisState = { ...initialAnalysisState, preRolloutPassed: true, canaryWeight: 10 };
const heldRate = evaluateMetric(
  { name: 'request-success-rate', source: 'builtin', thresholdRange: { min: 99 }, noData: 'hold' },
  { value: null },
  { canary: podinfo },
);
const slow = evaluateMetric({ name: 'request-duration', source: 'builtin', thresholdRange: { max: 500 } }, { value: 900 }, { canary: podinfo });
const passedRate = evaluateMetric(
  { name: 'request-success-rate', source: 'builtin', thresholdRange: { min: 99 }, noData: 'pass' },
  { value: null },
  { canary: podinfo },
);

describe('noData policies in the interval decision', () => {
  it('hold: no failed check, no weight change, says why', () => {
    const { decision } = interval(config, at10, { hooks: [pass('load')], metrics: [heldRate], trafficIncrease: [] });
    assert.equal(decision.kind, 'hold');
    assert.equal(decision.state.failedChecks, 0);
    assert.equal(decision.state.canaryWeight, 10);
    assert.match(messages(decision)[0] ?? '', /request-success-rate, holding the step/);
  });
  it('hold does not hide a real failure in the same interval', () => {
    const { decision } = interval(config, at10, { hooks: [], metrics: [heldRate, slow] });
    assert.equal(decision.kind, 'rollback');
  });
  it('pass: the interval advances', () => {
    const { decision } = interval(config, at10, { hooks: [], metrics: [passedRate], trafficIncrease: [] });
    assert.equal(decision.kind, 'advance');
    assert.equal(decision.state.canaryWeight, 20);
  });
});
