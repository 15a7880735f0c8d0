// statusPatch, the rule for what a status write changes: pure, with the clock passed in.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusPatch } from '../../../src/activities/status/status-patch';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:00:10Z';

describe('statusPatch', () => {
  const progressing = { phase: 'Progressing', canaryWeight: 10, failedChecks: 0, iterations: 0, lastTransitionTime: T0 } as const;

  it('moves lastTransitionTime with every change of the status, as each step of a rollout', () => {
    assert.equal(statusPatch(progressing, { canaryWeight: 20 }, 'Deployment', T1)?.lastTransitionTime, T1);
    assert.equal(statusPatch(progressing, { failedChecks: 1 }, 'Deployment', T1)?.lastTransitionTime, T1);
    assert.equal(statusPatch(progressing, { phase: 'Promoting' }, 'Deployment', T1)?.lastTransitionTime, T1);
  });

  it('writes nothing, and so moves nothing, when nothing changes (a Failed canary stays still)', () => {
    const update = { phase: 'Failed', canaryWeight: 0, failedChecks: 0 } as const;
    const failed = { ...progressing, ...statusPatch(progressing, update, 'Deployment', T0) };
    assert.equal(statusPatch(failed, update, 'Deployment', T1), undefined);
  });

  it('stamps the first phase of a status that has no time yet', () => {
    assert.equal(statusPatch({}, { phase: 'Initializing' }, 'Deployment', T1)?.lastTransitionTime, T1);
  });

  it('keeps a lastTransitionTime the caller gives', () => {
    const given = '2026-01-01T00:00:05Z';
    assert.equal(statusPatch(progressing, { canaryWeight: 30, lastTransitionTime: given }, 'Deployment', T1)?.lastTransitionTime, given);
  });
});
