// The worker's start against a Temporal that comes and goes: a real (time-skipping) server behind a
// forwarder the test cuts at the moment that matters, between the connection and the worker's start.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { startWhenReachable } from '../../src/temporal/worker-connection';
import { hostPort, TcpForwarder } from '../support/tcp-forwarder';
import { useTimeSkipping } from '../support/time-skipping';

/** A worker with one activity and no workflows: its start describes the namespace, as Perch's does. */
function activityWorker(connection: NativeConnection): Promise<Worker> {
  return Worker.create({ connection, taskQueue: 'worker-connection', activities: { noop: () => Promise.resolve() } });
}

describe('the worker start waiting for Temporal', () => {
  const env = useTimeSkipping();

  it('waits out Temporal gone between its connection and the worker start, then starts', async () => {
    const forwarder = new TcpForwarder(hostPort(env().address));
    await forwarder.open();
    const starts: string[] = [];
    const started = await startWhenReachable({ address: forwarder.address }, new AbortController().signal, async (connection) => {
      if (starts.length > 0) {
        starts.push('started');
        return activityWorker(connection);
      }
      // Connected; Temporal goes away before the worker describes the namespace.
      await forwarder.cut();
      try {
        return await activityWorker(connection);
      } catch (err) {
        starts.push(err instanceof Error ? err.constructor.name : String(err));
        throw err;
      } finally {
        await forwarder.open();
      }
    });
    assert.ok(started, 'the worker started');
    await started.worker.runUntil(Promise.resolve());
    await started.connection.close();
    await forwarder.cut();
    assert.deepEqual(starts, ['TransportError', 'started']);
  });

  it('ends at once when the worker start fails for another reason than Temporal being away', async () => {
    let starts = 0;
    await assert.rejects(
      startWhenReachable({ address: env().address }, new AbortController().signal, () => {
        starts++;
        return Promise.reject(new Error('test: a bundle that does not load'));
      }),
      /a bundle that does not load/,
    );
    assert.equal(starts, 1);
  });

  it('gives up without starting once stopped while Temporal is away', async () => {
    const forwarder = new TcpForwarder(hostPort(env().address));
    await forwarder.open();
    await forwarder.cut();
    const stop = new AbortController();
    let starts = 0;
    const waiting = startWhenReachable({ address: forwarder.address }, stop.signal, () => {
      starts++;
      return Promise.resolve('started');
    });
    stop.abort();
    assert.equal(await waiting, undefined);
    assert.equal(starts, 0);
  });
});
