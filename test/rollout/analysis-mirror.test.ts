// analysis.mirror through decide(): a mirror step before the first weight (canary strategy), a
// mirror for all iterations (blue/green), as Flagger's scheduler does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AnalysisConfig, type AnalysisState, analysing, initialAnalysisState } from '../../src/rollout/analysis';
import { evaluateMetric } from '../../src/rollout/verdict';
import { type Final, fail, interval, messages, pass, podinfo } from './driver';

const canary: AnalysisConfig = {
  canary: podinfo,
  strategy: 'canary',
  weights: { stepWeight: 10, maxWeight: 20 },
  iterations: 0,
  threshold: 2,
  mirror: true,
};
const bg: AnalysisConfig = { canary: podinfo, strategy: 'blue-green', weights: {}, iterations: 2, threshold: 2, mirror: true };
const healthy = evaluateMetric({ name: 'request-success-rate', source: 'builtin', thresholdRange: { min: 99 } }, { value: 100 }, { canary: podinfo });
const routes = (d: Final) => (d.kind === 'advance' ? d.routes : undefined);

describe('mirroring, canary strategy', () => {
  it('spends one analysed interval mirrored at weight 0, then steps without the mirror', () => {
    const first = interval(canary, initialAnalysisState, { preRollout: [pass('smoke')], trafficIncrease: [fail('gate')] });
    assert.deepEqual(first.asked, ['rollback-hooks', 'pre-rollout'], 'no traffic gate before a mirror: no user sees the canary');
    assert.deepEqual(messages(first.decision), [
      'Starting canary analysis for podinfo.test',
      'Pre-rollout check smoke passed',
      'Advance podinfo.test canary weight 0',
    ]);
    assert.deepEqual(routes(first.decision), { primary: 100, canary: 0, mirror: true });
    assert.equal(first.decision.state.mirrored, true);
    assert.ok(analysing(first.decision.state), 'the mirrored canary is analysed');

    const second = interval(canary, first.decision.state, { metrics: [healthy], trafficIncrease: [pass('gate')] });
    assert.deepEqual(second.asked, ['rollback-hooks', 'analysis', 'confirm-traffic-increase']);
    assert.deepEqual(routes(second.decision), { primary: 90, canary: 10 });
    assert.equal(second.decision.state.mirrored, undefined);
    assert.deepEqual(messages(second.decision), ['Confirm-traffic-increase check gate passed', 'Advance podinfo.test canary weight 10']);

    const third = interval(canary, second.decision.state, { metrics: [healthy] });
    assert.deepEqual(routes(third.decision), { primary: 80, canary: 20 }, 'no mirror step again');
  });

  it('holds the mirror while the analysis of the mirrored canary fails', () => {
    const failing = evaluateMetric(
      { name: 'request-success-rate', source: 'builtin', thresholdRange: { min: 99 } },
      { value: 50 },
      { canary: podinfo },
    );
    const mirrored: AnalysisState = { ...initialAnalysisState, preRolloutPassed: true, mirrored: true };
    const { decision } = interval(canary, mirrored, { metrics: [failing] });
    assert.equal(decision.kind, 'hold');
    assert.equal(decision.state.mirrored, true);
    assert.equal(decision.state.failedChecks, 1);
  });

  it('does nothing of the sort without mirror', () => {
    const { decision } = interval({ ...canary, mirror: false }, initialAnalysisState);
    assert.deepEqual(routes(decision), { primary: 90, canary: 10 });
  });
});

describe('mirroring, blue/green', () => {
  it('mirrors from the first iteration to the switch, which stops it', () => {
    let state = initialAnalysisState;
    const decisions: Final[] = [];
    for (let i = 0; i < 3; i++) {
      const { decision } = interval(bg, state, { metrics: [healthy], promotion: [pass('approve')] });
      decisions.push(decision);
      state = decision.state;
    }
    const [first, second, sw] = decisions as [Final, Final, Final];
    assert.deepEqual(routes(first), { primary: 100, canary: 0, mirror: true });
    assert.equal(first.state.mirrored, true);
    assert.equal(routes(second), undefined, 'the mirror is already in place');
    assert.equal(second.state.mirrored, true);
    assert.deepEqual(routes(sw), { primary: 0, canary: 100 });
    assert.equal(sw.state.mirrored, undefined);
    assert.deepEqual(messages(sw), ['Confirm-promotion check approve passed', 'Stop traffic mirroring and route all traffic to canary']);
  });
});
