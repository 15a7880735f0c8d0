// The built CLI against a Temporal that knows no such canary, and against no Temporal at all:
// one friendly line on stderr, the documented exit code, no stack trace, and no hang.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { canaryWorkflowId } from '../../src/workflows/messages';
import { stack } from '../support/stack';
import { cli, noStackTrace, startCli } from './run-cli';

describe('perch failures', () => {
  it('names a canary Perch does not manage, with exit code 1', async () => {
    for (const args of [
      ['status', 'cli-nowhere/podinfo'],
      ['pause', 'cli-nowhere/podinfo'],
      ['history', 'cli-nowhere/podinfo'],
    ]) {
      const r = await cli(...args);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^perch: no canary cli-nowhere\/podinfo is managed by Perch/, args.join(' '));
      assert.equal(r.stdout, '');
      assert.ok(noStackTrace(r), r.stderr);
    }
  });

  it('lists nothing in a namespace without canaries', async () => {
    const text = await cli('list', '-n', 'cli-nowhere');
    assert.equal(text.code, 0);
    assert.match(text.stdout, /No canaries are managed by Perch here/);
    const json = await cli('list', '-n', 'cli-nowhere', '-o', 'json');
    assert.deepEqual(JSON.parse(json.stdout), []);
  });

  it('says Temporal cannot be reached at the configured address, with exit code 2, giving up by itself', async () => {
    for (const args of [['list'], ['status', 'test/podinfo'], ['abort', 'test/podinfo']]) {
      const r = await startCli(args, { TEMPORAL_ADDRESS: '127.0.0.1:1' }).done;
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^perch: cannot reach Temporal at 127\.0\.0\.1:1: /);
      assert.ok(noStackTrace(r), r.stderr);
      // It tries for about five seconds, then ends by itself: the bound only tells that from a hang
      // (the suite's loaded machine has taken 6 s just to start Node), it does not time the CLI.
      assert.ok(r.ms < 60_000, `gave up after ${r.ms} ms`);
    }
  });

  it('says no worker answered when a canary workflow runs on a queue nobody polls, with exit code 3', async () => {
    const connection = await Connection.connect({ address: stack().temporal });
    const taskQueue = `cli-no-worker-${randomBytes(3).toString('hex')}`;
    const handle = await new Client({ connection }).workflow.start('canaryWorkflow', {
      workflowId: canaryWorkflowId('cli-no-worker', 'podinfo'),
      taskQueue,
      args: [{ namespace: 'cli-no-worker', name: 'podinfo' }],
      workflowIdConflictPolicy: 'TERMINATE_EXISTING',
    });
    try {
      const status = await cli('status', 'cli-no-worker/podinfo');
      assert.equal(status.code, 3, status.stderr);
      assert.match(
        status.stderr,
        new RegExp(`^perch: no Perch worker answered for cli-no-worker/podinfo within 5 s: is a worker running on task queue "${taskQueue}"\\?`),
      );
      assert.ok(noStackTrace(status), status.stderr);
      // A signal needs no worker: it is delivered, and the line says what it will do in general.
      const pause = await cli('pause', 'cli-no-worker/podinfo');
      assert.equal(pause.code, 0, pause.stderr);
      assert.match(pause.stdout, /^Pausing cli-no-worker\/podinfo: the analysis holds/);
      const signalled = (await handle.fetchHistory()).events?.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'pause');
      assert.ok(signalled, 'the pause signal is in the workflow history');
    } finally {
      await handle.terminate('test finished').catch(() => undefined);
      await connection.close();
    }
  });
});
