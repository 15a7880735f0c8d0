// Replays recorded runs of canaryWorkflow against the current workflow code. A change that makes
// the code issue different commands for the same history (a reordered activity, a new timer, a
// dropped signal wait) would break every running Canary's workflow on deploy; here it fails the
// test instead. Record new runs with scripts/record-history.sh.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { workflowBundlePath } from '../support/workflow-bundle';
import { recordedHistories } from './histories';

describe('replay of recorded histories', () => {
  const recorded = recordedHistories();

  before(() => {
    // Replay workers log every state change at INFO; nondeterminism still shows at WARN.
    Runtime.install({ logger: new DefaultLogger('WARN') });
  });

  it('has histories to replay', () => {
    // Without this, an emptied folder would pass every run.
    assert.ok(recorded.length > 0, 'no histories in test/histories');
  });

  for (const { name, history } of recorded) {
    it(`replays ${name}`, async () => {
      // Throws DeterminismViolationError on a mismatch, ReplayError on any other failure.
      await Worker.runReplayHistory({ workflowBundle: { codePath: workflowBundlePath() } }, history, `replay/${name}`);
    });
  }
});
