// Workflow code runs in Temporal's sandbox, bundled by webpack. A Node built-in or an I/O module
// imported anywhere under src/workflows (directly or through a helper) fails the bundle, so this
// catches it here rather than when a worker starts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

describe('workflow bundle', () => {
  it('bundles src/workflows with no disallowed module', async () => {
    // From dist/test/workflows/ this is dist/src/workflows/index.js, the code the worker runs.
    const workflowsPath = require.resolve('../../src/workflows');
    // WARN: webpack's asset listing is noise; its errors still come through in the rejection.
    const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
    assert.match(code, /canaryWorkflow/);
  });
});
