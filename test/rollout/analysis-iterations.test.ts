// A/B testing and blue/green through decide(): iterations instead of weights.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AnalysisConfig, type AnalysisState, initialAnalysisState } from '../../src/rollout/analysis';
import { evaluateMetric } from '../../src/rollout/verdict';
import { type Final, fail, interval, messages, pass, podinfo } from './driver';

const ab: AnalysisConfig = { canary: podinfo, strategy: 'ab-testing', weights: {}, iterations: 3, threshold: 2 };
const bg: AnalysisConfig = { ...ab, strategy: 'blue-green', iterations: 2 };
const started: AnalysisState = { ...initialAnalysisState, preRolloutPassed: true };
const failing = evaluateMetric({ name: 'error-rate', source: 'template', thresholdRange: { max: 1 } }, { value: 3 }, { canary: podinfo });

describe('A/B testing', () => {
  it('announces iterations 1..N routing matched requests to the canary, then promotes', () => {
    const seen: string[] = [];
    const decisions: Final[] = [];
    let state = initialAnalysisState;
    for (let i = 0; i < 4; i++) {
      const { decision, asked } = interval(ab, state, { preRollout: [pass('smoke')] });
      assert.ok(!asked.includes('confirm-traffic-increase'));
      assert.equal(asked.includes('analysis'), i > 0, `analysis on interval ${i + 1}`);
      decisions.push(decision);
      seen.push(...messages(decision));
      state = decision.state;
    }
    assert.deepEqual(seen, [
      'Starting canary analysis for podinfo.test',
      'Pre-rollout check smoke passed',
      'Advance podinfo.test canary iteration 1/3',
      'Advance podinfo.test canary iteration 2/3',
      'Advance podinfo.test canary iteration 3/3',
      'Copying podinfo.test template spec to podinfo-primary.test',
    ]);
    for (const d of decisions.slice(0, 3)) {
      assert.ok(d.kind === 'advance');
      assert.deepEqual(d.routes, { primary: 0, canary: 100 });
      assert.equal(d.state.canaryWeight, 0);
    }
    assert.equal(decisions[3]?.kind, 'promote');
  });
  it('counts failed checks and holds the iteration', () => {
    const { decision } = interval(ab, { ...started, iteration: 1 }, { metrics: [failing] });
    assert.equal(decision.kind, 'hold');
    assert.equal(decision.state.iteration, 1);
    assert.deepEqual(messages(decision), ['Halt podinfo.test advancement error-rate 3.00 > 1']);
  });
  it('waits for promotion approval without re-announcing the last iteration (Flagger does)', () => {
    const waiting = interval(ab, { ...started, iteration: 3 }, { promotion: [fail('approve')] });
    assert.ok(waiting.decision.kind === 'await-approval');
    assert.equal(waiting.decision.state.phase, 'WaitingPromotion');
    const again = interval(ab, waiting.decision.state, { promotion: [fail('approve')] });
    assert.equal(again.decision.kind, 'await-approval');
    assert.deepEqual(messages(again.decision), []);
    assert.equal(again.decision.state.iteration, 3);
  });
  it('rolls back an A/B config without iterations', () => {
    const { decision } = interval({ ...ab, iterations: 0 }, initialAnalysisState);
    assert.ok(decision.kind === 'rollback');
    assert.deepEqual(decision.reason, { kind: 'no-plan', problem: 'analysis.iterations must be at least 1' });
  });
});

describe('blue/green', () => {
  it('iterates without routing, switches all traffic to the canary, analyses once more, then promotes', () => {
    const seen: string[][] = [];
    const decisions: Final[] = [];
    let state = initialAnalysisState;
    for (let i = 0; i < 4; i++) {
      const { decision, asked } = interval(bg, state, { promotion: [pass('approve')] });
      seen.push(messages(decision));
      decisions.push(decision);
      if (i >= 2) assert.deepEqual(asked, ['rollback-hooks', 'analysis', 'confirm-promotion']);
      state = decision.state;
    }
    assert.deepEqual(seen, [
      ['Starting canary analysis for podinfo.test', 'Advance podinfo.test canary iteration 1/2'],
      ['Advance podinfo.test canary iteration 2/2'],
      ['Confirm-promotion check approve passed', 'Routing all traffic to canary'],
      ['Confirm-promotion check approve passed', 'Copying podinfo.test template spec to podinfo-primary.test'],
    ]);
    const [first, , sw, last] = decisions;
    assert.ok(first?.kind === 'advance' && first.routes === undefined);
    assert.ok(sw?.kind === 'advance');
    assert.deepEqual(sw.routes, { primary: 0, canary: 100 });
    assert.equal(sw.state.iteration, 3);
    assert.equal(sw.state.canaryWeight, 100);
    assert.equal(last?.kind, 'promote');
  });
  it('gates the switch to the canary with confirm-promotion', () => {
    const waiting = interval(bg, { ...started, iteration: 2 }, { promotion: [fail('approve')] });
    assert.ok(waiting.decision.kind === 'await-approval');
    assert.equal(waiting.decision.gate, 'confirm-promotion');
    assert.equal(waiting.decision.state.phase, 'WaitingPromotion');
    assert.deepEqual(messages(waiting.decision), ['Halt podinfo.test advancement waiting for promotion approval approve']);
    const approved = interval(bg, waiting.decision.state, { promotion: [pass('approve')] });
    assert.ok(approved.decision.kind === 'advance');
    assert.equal(approved.decision.state.phase, 'Progressing');
    assert.equal(approved.decision.state.iteration, 3);
  });
  it('rolls back when the analysis at full canary traffic fails to the threshold', () => {
    const { decision } = interval(bg, { ...started, iteration: 3, canaryWeight: 100, failedChecks: 1 }, { metrics: [failing] });
    assert.ok(decision.kind === 'rollback');
    assert.deepEqual(messages(decision).slice(1), [
      'Rolling back podinfo.test failed checks threshold reached 2',
      'Canary failed! Scaling down podinfo.test',
    ]);
  });
});
