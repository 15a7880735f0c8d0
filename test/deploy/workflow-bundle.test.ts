// The image's prebuilt workflow bundle: src/tools/bundle-workflows.ts writes it, and a worker
// process started with PERCH_WORKFLOW_BUNDLE (as the Dockerfile sets it) runs a canary workflow
// from it without bundling at start. (test/deploy/image-build.sh runs the Dockerfile's own steps.)
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { writeWorkflowBundle } from '../../src/tools/bundle-workflows';
import { canaryWorkflowId } from '../../src/workflows/messages';
import { Perch } from '../support/perch';
import { runDir, stack } from '../support/stack';

describe('prebuilt workflow bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perch-bundle-'));
  const bundle = join(dir, 'workflow-bundle.js');
  const perch = new Perch('bundle-test', { PERCH_WORKFLOW_BUNDLE: bundle });
  after(async () => {
    await perch.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is written by the bundle tool', async () => {
    const bytes = await writeWorkflowBundle(bundle);
    assert.equal(statSync(bundle).size, bytes);
    assert.match(readFileSync(bundle, 'utf8'), /canaryWorkflow/);
  });

  it('runs a canary workflow in a worker started from it, with no bundling at start', async () => {
    perch.start('worker');
    // A Canary that does not exist: the workflow loads it, finds nothing and ends.
    const namespace = `bundle-test-${randomBytes(3).toString('hex')}`;
    const connection = await Connection.connect({ address: stack().temporal });
    try {
      const client = new Client({ connection });
      await client.workflow.execute('canaryWorkflow', {
        taskQueue: perch.taskQueue,
        workflowId: canaryWorkflowId(namespace, 'absent'),
        args: [{ namespace, name: 'absent' }],
        workflowExecutionTimeout: '2 minutes',
      });
    } finally {
      await connection.close();
    }
    const log = readFileSync(join(runDir(), 'logs', `${perch.taskQueue}-worker.log`), 'utf8');
    assert.match(log, /"msg":"worker started"/);
    // The SDK logs this only when it runs webpack itself, i.e. when the bundle was not used.
    assert.doesNotMatch(log, /Workflow bundle created/);
  });
});
