// Flagger's 0/1/2 encoding of the phase in flagger_canary_status, for every phase there is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CANARY_PHASES } from '../../src/api/canary';
import { statusValue } from '../../src/metrics/status-value';

describe('flagger_canary_status value', () => {
  it('is 0 for Progressing, 2 for Failed and 1 for every other phase', () => {
    const values = Object.fromEntries(CANARY_PHASES.map((p) => [p, statusValue(p)]));
    assert.deepEqual(values, {
      '': 1,
      Initializing: 1,
      Initialized: 1,
      Waiting: 1,
      Progressing: 0,
      WaitingPromotion: 1,
      Promoting: 1,
      Finalising: 1,
      Succeeded: 1,
      Failed: 2,
      Terminating: 1,
      Terminated: 1,
    });
  });
});
