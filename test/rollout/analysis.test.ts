// The per-interval decision for the canary (weighted) strategy: stages, failed checks, gates.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AnalysisConfig, type AnalysisState, decide, effectiveThreshold, initialAnalysisState, planProblem } from '../../src/rollout/analysis';
import { evaluateMetric } from '../../src/rollout/verdict';
import { fail, interval, messages, pass, podinfo } from './driver';

const config: AnalysisConfig = { canary: podinfo, strategy: 'canary', weights: { stepWeight: 10, maxWeight: 30 }, iterations: 0, threshold: 2 };
const started: AnalysisState = { ...initialAnalysisState, preRolloutPassed: true };
const at = (canaryWeight: number, extra: Partial<AnalysisState> = {}): AnalysisState => ({ ...started, canaryWeight, ...extra });
const slow = evaluateMetric({ name: 'request-duration', source: 'builtin', thresholdRange: { max: 500 } }, { value: 900 }, { canary: podinfo });
const healthy = evaluateMetric({ name: 'request-success-rate', source: 'builtin', thresholdRange: { min: 99 } }, { value: 100 }, { canary: podinfo });
const noData = evaluateMetric({ name: 'request-success-rate', source: 'builtin', thresholdRange: { min: 99 } }, { value: null }, { canary: podinfo });
const queryError = evaluateMetric(
  { name: 'request-success-rate', source: 'builtin', thresholdRange: { min: 99 } },
  { error: 'boom' },
  { canary: podinfo },
);

describe('first interval: pre-rollout hooks, then the first step at once', () => {
  it('asks rollback hooks, pre-rollout hooks and the traffic gate, but runs no metrics', () => {
    const { decision, asked } = interval(config, initialAnalysisState, { preRollout: [pass('acceptance-test')] });
    assert.deepEqual(asked, ['rollback-hooks', 'pre-rollout', 'confirm-traffic-increase']);
    assert.equal(decision.kind, 'advance');
    assert.deepEqual(messages(decision), [
      'Starting canary analysis for podinfo.test',
      'Pre-rollout check acceptance-test passed',
      'Advance podinfo.test canary weight 10',
    ]);
    assert.ok(decision.kind === 'advance');
    assert.deepEqual(decision.routes, { primary: 90, canary: 10 });
    assert.deepEqual(decision.state, { ...initialAnalysisState, preRolloutPassed: true, canaryWeight: 10 });
  });
  it('announces the start even without pre-rollout hooks', () => {
    const { decision } = interval(config, initialAnalysisState);
    assert.deepEqual(messages(decision), ['Starting canary analysis for podinfo.test', 'Advance podinfo.test canary weight 10']);
  });
  it('counts a failed pre-rollout hook and stops at it', () => {
    const { decision, asked } = interval(config, initialAnalysisState, { preRollout: [pass('a'), fail('b', 'exit status 1', 500), pass('c')] });
    assert.deepEqual(asked, ['rollback-hooks', 'pre-rollout']);
    assert.equal(decision.kind, 'hold');
    assert.deepEqual(messages(decision), [
      'Starting canary analysis for podinfo.test',
      'Pre-rollout check a passed',
      'Halt podinfo.test advancement pre-rollout check b failed exit status 1',
    ]);
    assert.equal(decision.events[2]?.level, 'warning');
    assert.equal(decision.state.failedChecks, 1);
    assert.equal(decision.state.preRolloutPassed, false);
    assert.ok(decision.kind === 'hold');
    assert.equal(decision.detail, 'pre-rollout webhook b answered HTTP 500: exit status 1');
    assert.deepEqual(interval(config, decision.state).asked.slice(0, 2), ['rollback-hooks', 'pre-rollout'], 'retried next interval');
  });
  it('rolls back in the same interval when a pre-rollout failure reaches the threshold', () => {
    const { decision } = interval({ ...config, threshold: 1 }, initialAnalysisState, { preRollout: [fail('b', 'no')] });
    assert.equal(decision.kind, 'rollback');
    assert.deepEqual(messages(decision).slice(-2), [
      'Rolling back podinfo.test failed checks threshold reached 1',
      'Canary failed! Scaling down podinfo.test',
    ]);
  });
});

describe('analysis intervals', () => {
  it('run hooks and metrics, then ask the traffic gate and advance', () => {
    const { decision, asked } = interval(config, at(10), { hooks: [pass('load-test')], metrics: [healthy], trafficIncrease: [pass('gate')] });
    assert.deepEqual(asked, ['rollback-hooks', 'analysis', 'confirm-traffic-increase']);
    assert.deepEqual(messages(decision), ['Confirm-traffic-increase check gate passed', 'Advance podinfo.test canary weight 20']);
    assert.ok(decision.kind === 'advance');
    assert.deepEqual(decision.routes, { primary: 80, canary: 20 });
    assert.equal(decision.state.canaryWeight, 20);
  });
  it('hold on a failing metric without asking the gate; failures accumulate and never reset', () => {
    const first = interval({ ...config, threshold: 5 }, at(10), { metrics: [healthy, slow] });
    assert.deepEqual(first.asked, ['rollback-hooks', 'analysis']);
    assert.equal(first.decision.kind, 'hold');
    assert.deepEqual(messages(first.decision), ['Halt podinfo.test advancement request duration 900ms > 500ms']);
    assert.equal(first.decision.state.failedChecks, 1);
    assert.equal(first.decision.state.canaryWeight, 10);
    const passed = interval({ ...config, threshold: 5 }, first.decision.state, { metrics: [healthy] });
    assert.equal(passed.decision.kind, 'advance');
    assert.equal(passed.decision.state.failedChecks, 1);
  });
  it('report a failing hook before failing metrics, and list every failure in the detail', () => {
    const { decision } = interval(config, at(10), { hooks: [fail('load-test', '', 502)], metrics: [slow, noData] });
    assert.ok(decision.kind === 'hold');
    assert.deepEqual(messages(decision), ['Halt podinfo.test advancement external check load-test failed ']);
    assert.match(
      decision.detail,
      /^rollout webhook load-test answered HTTP 502 with an empty body; request-duration measured 900ms.*; request-success-rate: the query returned no sample/,
    );
    assert.equal(decision.state.lastFailure, decision.detail);
  });
  it('record query errors at error level', () => {
    const { decision } = interval(config, at(10), { metrics: [queryError] });
    assert.equal(decision.events[0]?.level, 'error');
    assert.equal(decision.events[0]?.message, 'Prometheus query failed: running query failed: boom');
  });
  it('roll back in the interval whose failure reaches the threshold', () => {
    const { decision } = interval(config, at(20, { failedChecks: 1, lastFailure: 'earlier' }), { metrics: [slow] });
    assert.ok(decision.kind === 'rollback');
    assert.deepEqual(decision.reason, { kind: 'failed-checks', failedChecks: 2 });
    assert.deepEqual(messages(decision), [
      'Halt podinfo.test advancement request duration 900ms > 500ms',
      'Rolling back podinfo.test failed checks threshold reached 2',
      'Canary failed! Scaling down podinfo.test',
    ]);
    assert.deepEqual(decision.alerts, [{ severity: 'error', message: 'Failed checks threshold reached 2' }]);
    assert.match(decision.detail, /^2 of 2 allowed failed checks; last failure: request-duration measured 900ms/);
    assert.equal(decision.state.canaryWeight, 20);
  });
  it('roll back before any check when failed checks already meet the threshold', () => {
    const { decision, asked } = interval(config, at(20, { failedChecks: 2 }));
    assert.deepEqual(asked, []);
    assert.deepEqual(messages(decision), ['Rolling back podinfo.test failed checks threshold reached 2', 'Canary failed! Scaling down podinfo.test']);
  });
});

describe('approval gates', () => {
  it('confirm-traffic-increase: waits without counting a failure, announcing only once', () => {
    const first = interval(config, at(10), { trafficIncrease: [pass('a'), fail('gate')] });
    assert.ok(first.decision.kind === 'await-approval');
    assert.equal(first.decision.gate, 'confirm-traffic-increase');
    assert.equal(first.decision.entered, true);
    assert.deepEqual(messages(first.decision), [
      'Confirm-traffic-increase check a passed',
      'Halt podinfo.test advancement waiting for traffic increase approval gate',
    ]);
    assert.deepEqual(first.decision.alerts, [{ severity: 'warn', message: 'Canary traffic increase is waiting for approval.' }]);
    assert.equal(first.decision.state.failedChecks, 0);
    assert.equal(first.decision.state.phase, 'Progressing');
    const again = interval(config, first.decision.state, { trafficIncrease: [fail('gate')] });
    assert.ok(again.decision.kind === 'await-approval');
    assert.equal(again.decision.entered, false);
    assert.deepEqual(messages(again.decision), []);
    assert.deepEqual(again.decision.alerts, []);
    const approved = interval(config, again.decision.state, { trafficIncrease: [pass('gate')] });
    assert.equal(approved.decision.kind, 'advance');
    assert.equal(approved.decision.state.awaitingTrafficIncrease, false);
  });
  it('at weight 0 a pending traffic increase neither re-runs pre-rollout hooks nor measures', () => {
    const first = interval(config, initialAnalysisState, { trafficIncrease: [fail('gate')] });
    assert.equal(first.decision.kind, 'await-approval');
    const next = interval(config, first.decision.state, { trafficIncrease: [fail('gate')] });
    assert.deepEqual(next.asked, ['rollback-hooks', 'confirm-traffic-increase']);
    assert.deepEqual(messages(next.decision), []);
  });
  it('at maxWeight asks only confirm-promotion, then promotes', () => {
    const { decision, asked } = interval(config, at(30), { promotion: [pass('approve')] });
    assert.deepEqual(asked, ['rollback-hooks', 'analysis', 'confirm-promotion']);
    assert.ok(decision.kind === 'promote');
    assert.equal(decision.requested, false);
    assert.deepEqual(messages(decision), ['Confirm-promotion check approve passed', 'Copying podinfo.test template spec to podinfo-primary.test']);
  });
  it('a refused promotion waits in WaitingPromotion while the analysis goes on', () => {
    const first = interval(config, at(30), { promotion: [fail('approve')] });
    assert.ok(first.decision.kind === 'await-approval');
    assert.equal(first.decision.entered, true);
    assert.equal(first.decision.state.phase, 'WaitingPromotion');
    assert.deepEqual(messages(first.decision), ['Halt podinfo.test advancement waiting for promotion approval approve']);
    assert.deepEqual(first.decision.alerts, [{ severity: 'warn', message: 'Canary promotion is waiting for approval.' }]);
    const failing = interval(config, first.decision.state, { metrics: [slow] });
    assert.equal(failing.decision.kind, 'hold');
    assert.equal(failing.decision.state.phase, 'WaitingPromotion');
    assert.equal(failing.decision.state.failedChecks, 1);
    const quiet = interval(config, failing.decision.state, { promotion: [fail('approve')] });
    assert.ok(quiet.decision.kind === 'await-approval');
    assert.equal(quiet.decision.entered, false);
    assert.deepEqual(messages(quiet.decision), []);
    const approved = interval(config, quiet.decision.state, { promotion: [pass('approve')] });
    assert.equal(approved.decision.kind, 'promote');
    assert.equal(approved.decision.state.phase, 'Progressing');
  });
});

describe('weight plans through decide()', () => {
  const walk = (cfg: AnalysisConfig): string[] => {
    const out: string[] = [];
    let state = initialAnalysisState;
    for (let i = 0; i < 50; i++) {
      const { decision } = interval(cfg, state);
      out.push(...messages(decision));
      if (decision.kind === 'promote' || decision.kind === 'rollback') return out;
      state = decision.state;
    }
    throw new Error('no end');
  };
  const weights = (out: string[]): string[] => out.filter((m) => m.startsWith('Advance')).map((m) => m.split(' ').at(-1) ?? '');
  it('walks a stepWeights ladder', () => assert.deepEqual(weights(walk({ ...config, weights: { stepWeights: [1, 10, 50] } })), ['1', '10', '50']));
  it('overshoots like Flagger', () => assert.deepEqual(weights(walk({ ...config, weights: { stepWeight: 20, maxWeight: 50 } })), ['20', '40', '60']));
  it('steps from a weight off the plan', () => {
    assert.equal(interval(config, at(15)).decision.state.canaryWeight, 25);
  });
});

describe('decide()', () => {
  it('is pure: same input, same answer, inputs untouched', () => {
    const state = Object.freeze(at(10, { failedChecks: 1 }));
    const input = Object.freeze({
      rollbackHooks: Object.freeze([]),
      analysis: Object.freeze({ hooks: Object.freeze([]), metrics: Object.freeze([slow]) }),
    });
    const a = decide(config, state, input);
    const b = decide(config, state, input);
    assert.deepEqual(a, b);
    assert.deepEqual(state, at(10, { failedChecks: 1 }));
  });
  it('applies Flagger threshold defaults', () => {
    assert.equal(effectiveThreshold({ ...config, threshold: 0 }), 1);
    assert.equal(effectiveThreshold({ ...config, threshold: -3 }), 1);
    assert.equal(effectiveThreshold({ ...config, threshold: 5 }), 5);
    assert.equal(interval({ ...config, threshold: 0 }, at(10), { metrics: [slow] }).decision.kind, 'rollback');
  });
  it('knows when a plan cannot finish', () => {
    assert.equal(planProblem(config), undefined);
    assert.match(planProblem({ ...config, strategy: 'ab-testing', iterations: 0 }) ?? '', /iterations must be at least 1/);
    assert.equal(planProblem({ ...config, strategy: 'blue-green', iterations: 1 }), undefined);
  });
});
