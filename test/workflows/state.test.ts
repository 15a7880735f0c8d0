// The workflow's one state and what is projected from it: pure functions, no server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CanaryStatus } from '../../src/api/canary';
import { indexedValues, queryView, shownOf, statusOf } from '../../src/workflows/projections';
import {
  aftermathOf,
  analysisAdvanced,
  canaryLoaded,
  checkRecorded,
  eventReported,
  initialState,
  initialized,
  promoted,
  rolloutFinished,
  rolloutStarted,
  statusShown,
  problemFound,
  waitingAt,
} from '../../src/workflows/state';

const ref = { namespace: 'test', name: 'podinfo', targetName: 'podinfo' };
const NOW = '2026-12-03T10:00:00.000Z';
const failed: CanaryStatus = {
  phase: 'Failed',
  canaryWeight: 0,
  failedChecks: 5,
  iterations: 0,
  lastAppliedSpec: 'b',
  lastPromotedSpec: 'a',
  trackedConfigs: { 'configmap/x': '1' },
};

describe('the canary workflow state', () => {
  it('takes over what the Canary shows when no rollout is under way', () => {
    const s = canaryLoaded(initialState(ref), { canary: ref, status: failed, generation: 3 });
    assert.equal(s.phase, 'Failed');
    assert.equal(s.analysis.failedChecks, 5);
    assert.deepEqual(s.applied, { revision: 'b', trackedConfigs: { 'configmap/x': '1' } });
    assert.equal(s.promoted, 'a');
    assert.equal(s.generation, 3);
    assert.deepEqual(s.shown, { phase: 'Failed', canaryWeight: 0, iterations: 0, failedChecks: 5, revision: 'b' });
    // What it writes keeps the Canary's counters: a report of an invalid spec does not zero them.
    assert.deepEqual(statusOf(s, NOW), {
      phase: 'Failed',
      canaryWeight: 0,
      failedChecks: 5,
      iterations: 0,
      lastAppliedSpec: 'b',
      trackedConfigs: { 'configmap/x': '1' },
      lastPromotedSpec: 'a',
      observedGeneration: 3,
    });
  });

  it('keeps a rollout under way when the Canary is loaded again, but follows its spec and generation', () => {
    const started = rolloutStarted(canaryLoaded(initialState(ref), { canary: ref, status: failed }), { revision: 'c', trackedConfigs: {} }, NOW);
    const advanced = analysisAdvanced(started, { ...started.analysis, canaryWeight: 20, failedChecks: 1 });
    const reloaded = canaryLoaded(advanced, { canary: ref, status: { ...failed, canaryWeight: 5 }, generation: 4 });
    assert.equal(reloaded.analysis.canaryWeight, 20);
    assert.equal(reloaded.applied?.revision, 'c');
    assert.equal(reloaded.phase, 'Progressing');
    assert.equal(reloaded.generation, 4);
  });

  it('starts each rollout afresh and leaves its record, checks and last Event for the next run', () => {
    let s = rolloutStarted(initialized(initialState(ref), { revision: 'a', trackedConfigs: {} }), { revision: 'b', trackedConfigs: {} }, NOW);
    assert.deepEqual([s.phase, s.analysis.canaryWeight, s.rolloutStartedAt, s.promoted], ['Progressing', 0, NOW, 'a']);
    s = checkRecorded(s, { name: 'request-success-rate', kind: 'metric', ok: true, value: 99.5, message: 'ok', at: NOW });
    s = eventReported(s, { level: 'info', message: 'Promotion completed! Scaling down podinfo.test' }, NOW);
    s = promoted(s);
    assert.deepEqual([s.phase, s.promoted, s.analysis.canaryWeight], ['Succeeded', 'b', 0]);
    const record = { revision: 'b', outcome: 'Succeeded' as const, strategy: 'canary' as const, startedAt: NOW, finishedAt: NOW };
    s = rolloutFinished(s, record);
    assert.equal(s.rolloutStartedAt, undefined);
    const next = initialState(ref, aftermathOf(s));
    const view = queryView(next);
    assert.deepEqual(view.lastRollout, record);
    assert.equal(view.lastEvent, 'Promotion completed! Scaling down podinfo.test');
    assert.equal(view.checks['request-success-rate']?.value, 99.5);
    assert.equal(next.eventCount, 0);
  });

  it('says why the Canary cannot be acted on in its Promoted condition, until it can', () => {
    const s = problemFound(canaryLoaded(initialState(ref), { canary: ref, status: failed }), 'Canary is invalid: spec.service.port is required');
    assert.deepEqual(statusOf(s, NOW).conditions, [
      {
        type: 'Promoted',
        status: 'False',
        reason: 'Invalid',
        message: 'Canary is invalid: spec.service.port is required',
        lastUpdateTime: NOW,
        lastTransitionTime: NOW,
      },
    ]);
    assert.equal(statusOf(problemFound(s, undefined), NOW).conditions, undefined);
  });

  it('shows a status only once written, and indexes what is shown', () => {
    const loaded = canaryLoaded(initialState(ref), { canary: ref, status: { phase: 'Initialized', lastAppliedSpec: 'a' } });
    const started = rolloutStarted(loaded, { revision: 'b', trackedConfigs: {} }, NOW);
    assert.equal(queryView(started).phase, 'Initialized', 'the query ran ahead of the Canary');
    const shown = shownOf(statusOf(started, NOW), started.shown);
    const written = statusShown(started, shown);
    assert.deepEqual([queryView(written).phase, queryView(written).revision], ['Progressing', 'b']);
    assert.deepEqual(indexedValues(written), { phase: 'Progressing', weight: 0, revision: 'b' });
  });

  it('waits at one gate at a time', () => {
    const s = waitingAt(initialState(ref), 'confirm-promotion');
    assert.equal(queryView(s).waitingFor, 'confirm-promotion');
    assert.equal(queryView(waitingAt(s, undefined)).waitingFor, undefined);
  });
});
