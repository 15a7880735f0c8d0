// The Temporal dev server is real: a worker runs a workflow to completion and a signal reaches it,
// and Perch's search attributes are registered.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { deliver, waitForDelivery } from './fixtures/signal-workflow';
import { stack } from '../support/stack';

describe('Temporal dev server', () => {
  it('runs a workflow to completion and delivers a signal to it', async () => {
    const taskQueue = `stack-test-${randomUUID()}`;
    const connection = await NativeConnection.connect({ address: stack().temporal });
    const clientConnection = await Connection.connect({ address: stack().temporal });
    try {
      const worker = await Worker.create({
        connection,
        taskQueue,
        workflowsPath: require.resolve('./fixtures/signal-workflow'),
      });
      const client = new Client({ connection: clientConnection });
      const result = await worker.runUntil(async () => {
        const handle = await client.workflow.start(waitForDelivery, { taskQueue, workflowId: `stack-test-${randomUUID()}` });
        await handle.signal(deliver, 'hello');
        return handle.result();
      });
      assert.equal(result, 'delivered: hello');
    } finally {
      await connection.close();
      await clientConnection.close();
    }
  });

  it("has Perch's search attributes registered", async () => {
    const connection = await Connection.connect({ address: stack().temporal });
    try {
      const res = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      for (const name of ['CanaryNamespace', 'CanaryName', 'RolloutTarget', 'RolloutPhase', 'CanaryWeight', 'RolloutOutcome', 'RolloutRevision']) {
        assert.ok(res.customAttributes?.[name] !== undefined, `${name} is registered`);
      }
    } finally {
      await connection.close();
    }
  });
});
