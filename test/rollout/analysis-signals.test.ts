// User signals and the other inputs that end or freeze an interval before its checks run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AnalysisConfig, type AnalysisState, initialAnalysisState } from '../../src/rollout/analysis';
import { fail, interval, messages, pass, podinfo } from './driver';

const config: AnalysisConfig = { canary: podinfo, strategy: 'canary', weights: { stepWeight: 10, maxWeight: 30 }, iterations: 0, threshold: 2 };
const at = (canaryWeight: number, extra: Partial<AnalysisState> = {}): AnalysisState => ({
  ...initialAnalysisState,
  preRolloutPassed: true,
  canaryWeight,
  ...extra,
});

describe('signals and other inputs', () => {
  it('abort rolls back at once', () => {
    const { decision, asked } = interval(config, at(20), { control: 'abort' });
    assert.deepEqual(asked, []);
    assert.ok(decision.kind === 'rollback');
    assert.deepEqual(decision.reason, { kind: 'aborted' });
    assert.deepEqual(messages(decision), ['Rolling back podinfo.test abort requested', 'Canary failed! Scaling down podinfo.test']);
    assert.deepEqual(decision.alerts, [{ severity: 'warn', message: 'Rolling back, abort requested' }]);
  });
  it('promote promotes at once, past any gate', () => {
    const { decision, asked } = interval(config, at(10), { control: 'promote' });
    assert.deepEqual(asked, []);
    assert.ok(decision.kind === 'promote');
    assert.equal(decision.requested, true);
    assert.deepEqual(messages(decision), [
      'Promotion of podinfo.test requested, skipping the remaining analysis',
      'Copying podinfo.test template spec to podinfo-primary.test',
    ]);
  });
  it('pause freezes everything and says so once', () => {
    const first = interval(config, at(20, { failedChecks: 1 }), { control: 'pause' });
    assert.deepEqual(first.asked, []);
    assert.equal(first.decision.kind, 'paused');
    assert.deepEqual(messages(first.decision), ['skipping canary run as object is suspended']);
    assert.deepEqual(first.decision.state, at(20, { failedChecks: 1, suspended: true }));
    const second = interval(config, first.decision.state, { control: 'pause' });
    assert.deepEqual(messages(second.decision), []);
    const resumed = interval(config, second.decision.state);
    assert.equal(resumed.decision.kind, 'advance');
    assert.equal(resumed.decision.state.suspended, false);
  });
  it('a rollback hook that answers yes rolls back', () => {
    const { decision, asked } = interval(config, at(20), { rollbackHooks: [fail('quiet'), pass('rollback-gate')] });
    assert.deepEqual(asked, ['rollback-hooks']);
    assert.ok(decision.kind === 'rollback');
    assert.deepEqual(decision.reason, { kind: 'rollback-webhook', hook: 'rollback-gate' });
    assert.deepEqual(messages(decision), [
      'Rollback check rollback-gate passed',
      'Rolling back podinfo.test manual webhook invoked',
      'Canary failed! Scaling down podinfo.test',
    ]);
    assert.deepEqual(decision.alerts, [{ severity: 'warn', message: 'Rolling back manual webhook invoked' }]);
  });
  it('quiet rollback hooks let the interval go on', () => {
    assert.equal(interval(config, at(20), { rollbackHooks: [fail('quiet')] }).decision.kind, 'advance');
  });
  it('an exceeded progress deadline rolls back with the text Flagger never reaches', () => {
    const err =
      'canary deployment podinfo.test not ready: waiting for rollout to finish: 0 of 1 (readyThreshold 100%) updated replicas are available';
    const { decision } = interval(config, at(20), { progressDeadlineExceeded: err });
    assert.ok(decision.kind === 'rollback');
    assert.deepEqual(messages(decision), [`Rolling back podinfo.test progress deadline exceeded ${err}`, 'Canary failed! Scaling down podinfo.test']);
    assert.deepEqual(decision.alerts, [{ severity: 'error', message: `Progress deadline exceeded ${err}` }]);
  });
  it('a spec with no way forward rolls back instead of idling', () => {
    const { decision } = interval({ ...config, weights: {} }, initialAnalysisState);
    assert.ok(decision.kind === 'rollback');
    assert.equal(decision.reason.kind, 'no-plan');
    assert.match(messages(decision)[0] ?? '', /^Rolling back podinfo\.test invalid analysis: analysis needs a positive stepWeight/);
  });
});
