// The error types activities throw: which ones Temporal may retry. Pure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERROR_TYPES, failure, NON_RETRYABLE_ERROR_TYPES } from '../../src/activities/errors';

describe('activity error types', () => {
  it('lists the errors no retry can fix', () => {
    assert.deepEqual([...NON_RETRYABLE_ERROR_TYPES].sort(), [
      'CanaryNotFound',
      'InvalidCanary',
      'InvalidQuery',
      'InvalidTarget',
      'InvalidWeights',
      'RouterNotFound',
      'RoutesNotFound',
    ]);
  });

  it('makes each failure retryable exactly as its type says', () => {
    for (const [type, retryable] of Object.entries(ERROR_TYPES)) {
      const f = failure(type as keyof typeof ERROR_TYPES, 'why');
      assert.equal(f.type, type);
      assert.equal(f.nonRetryable, !retryable, type);
    }
  });
});
