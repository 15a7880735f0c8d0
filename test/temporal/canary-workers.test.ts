// The worker's two queues (src/temporal/canary-workers.ts): the long calls run on a queue of their
// own, no more of them at once than the worker's slots, while the rest waits unstarted in Temporal;
// and PERCH_LONG_CALL_SLOTS, as src/config.ts reads it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Context } from '@temporalio/activity';
import { canarySettings } from '../../src/api/defaults';
import { DEFAULT_LONG_CALL_SLOTS, loadConfig } from '../../src/config';
import { CanaryWorkers } from '../../src/temporal/canary-workers';
import { longCallsQueue } from '../../src/workflows/task-queues';
import { seedCanary } from '../support/seed';
import { until, useTimeSkipping } from '../support/time-skipping';
import { concurrentLongCalls } from './fixtures/long-calls-workflow';

/** Long calls that each wait for the test to let them finish, counting how many run together. */
class HeldCalls {
  running = 0;
  most = 0;
  readonly queues = new Set<string>();
  private readonly waiting: (() => void)[] = [];

  readonly checkMetricProviders = async (): Promise<undefined> => {
    this.queues.add(Context.current().info.taskQueue);
    this.most = Math.max(this.most, ++this.running);
    await new Promise<void>((release) => this.waiting.push(release));
    this.running--;
    return undefined;
  };

  releaseOne(): void {
    this.waiting.shift()?.();
  }
}

describe('the long calls queue', () => {
  const env = useTimeSkipping();

  it('runs the long calls on their own queue, as many at once as the slots and the rest in turn', async () => {
    const slots = 2;
    const count = 6;
    const calls = new HeldCalls();
    const taskQueue = `canary-workers-${randomBytes(3).toString('hex')}`;
    const workers = await CanaryWorkers.create({
      connection: env().nativeConnection,
      taskQueue,
      workflows: { workflowsPath: require.resolve('./fixtures/long-calls-workflow') },
      activities: { checkMetricProviders: calls.checkMetricProviders },
      longCallSlots: slots,
    });
    await workers.runUntil(async () => {
      const handle = await env().client.workflow.start(concurrentLongCalls, {
        taskQueue,
        workflowId: taskQueue,
        args: [canarySettings(seedCanary()), count],
      });
      // All six are asked for at once; each finishes only when let go, so were the slots not a
      // bound, all six would be running here.
      for (let left = count; left > 0; left--) {
        await until(`${Math.min(slots, left)} long calls running`, 30_000, () => (calls.running >= Math.min(slots, left) ? true : undefined));
        calls.releaseOne();
      }
      await handle.result();
    });
    assert.equal(calls.most, slots, `at most ${slots} long calls ran at once`);
    assert.deepEqual([...calls.queues], [longCallsQueue(taskQueue)]);
  });
});

describe('PERCH_LONG_CALL_SLOTS', () => {
  it(`defaults to ${DEFAULT_LONG_CALL_SLOTS} and reads a whole number`, () => {
    assert.equal(loadConfig({}).longCallSlots, DEFAULT_LONG_CALL_SLOTS);
    assert.equal(loadConfig({ PERCH_LONG_CALL_SLOTS: ' ' }).longCallSlots, DEFAULT_LONG_CALL_SLOTS);
    assert.equal(loadConfig({ PERCH_LONG_CALL_SLOTS: '16' }).longCallSlots, 16);
  });

  it('refuses anything else, naming the variable', () => {
    for (const text of ['0', '-2', '1.5', 'many']) {
      assert.throws(() => loadConfig({ PERCH_LONG_CALL_SLOTS: text }), /PERCH_LONG_CALL_SLOTS must be a whole number of at least 1/, text);
    }
  });
});
