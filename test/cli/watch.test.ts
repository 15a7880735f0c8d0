// `status --until-finished` ends with the rollout it saw under way, never with an earlier one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RolloutTracker } from '../../src/cli/watch';

const feed = (phases: string[]) => {
  const t = new RolloutTracker();
  return phases.map((p) => t.observe(p));
};

describe('until-finished', () => {
  it('ignores the end of the previous rollout until one is seen in progress', () => {
    assert.deepEqual(feed(['Succeeded', 'Succeeded', 'Progressing', 'Promoting', 'Finalising', 'Succeeded']), [
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'succeeded',
    ]);
    assert.deepEqual(feed(['Failed', 'Progressing', 'Failed']), [undefined, undefined, 'failed']);
  });

  it('counts every in-progress phase, including the waits for approval', () => {
    for (const p of ['Progressing', 'Waiting', 'WaitingPromotion', 'Promoting', 'Finalising']) {
      assert.deepEqual(feed([p, 'Succeeded']), [undefined, 'succeeded'], p);
    }
  });

  it('keeps waiting through phases that are not an end', () => {
    assert.deepEqual(feed(['Initialized', 'Progressing', 'Initialized', 'Terminating']), [undefined, undefined, undefined, undefined]);
  });
});
