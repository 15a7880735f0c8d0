import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DETAIL_STEPS, renderDetails } from '../../src/rollout/details';

const header = { canary: 'podinfo.test', phase: 'Progressing', canaryWeight: 10, iterations: 0, failedChecks: 1, paused: false, revision: 'abc' };

describe('current details Markdown', () => {
  it('states where the rollout stands and tabulates steps with values and thresholds', () => {
    const md = renderDetails(header, [
      { at: '2026-11-27T10:00:01.000Z', step: 'Advance podinfo.test canary weight 10', result: 'info' },
      { at: '2026-11-27T10:00:06.000Z', step: 'metric request-success-rate', result: 'ok', value: '99.5', threshold: '>= 99%' },
    ]);
    const lines = md.split('\n');
    assert.equal(lines[0], '## podinfo.test');
    assert.match(md, /phase \*\*Progressing\*\*, canary weight 10%, iterations 0, failed checks 1; revision `abc`/);
    assert.ok(lines.includes('| 10:00:06 | metric request-success-rate | ok | 99.5 | >= 99% |'));
  });
  it('escapes table separators and keeps only the latest steps', () => {
    const steps = Array.from({ length: MAX_DETAIL_STEPS + 5 }, (_, i) => ({ at: '2026-11-27T10:00:00.000Z', step: `step ${i} a|b`, result: 'info' }));
    const md = renderDetails({ ...header, paused: true, waitingFor: 'confirm-promotion' }, steps);
    assert.ok(!md.includes('step 4 a'));
    assert.ok(md.includes(`step ${MAX_DETAIL_STEPS + 4} a\\|b`));
    assert.match(md, /\*\*paused\*\*, waiting for approval at \*\*confirm-promotion\*\*/);
  });
});
