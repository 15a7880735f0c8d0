// An abort acts at once, not at the next tick: on the real canaryWorkflow with the cluster faked in
// memory, at an interval of one hour on Temporal's time-skipping server. Time moves on only when
// the test skips it (to reach a weight), so a rollback that waited for the interval's timer could
// not happen while the test waits for it: the workflow's clock would have to pass the hour.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { abortSignal } from '../../src/workflows/messages';
import { FakeRollout, quickCanary } from '../support/fake-rollout';
import { useTimeSkipping } from '../support/time-skipping';

const INTERVAL = '1h';
const HOUR_MS = 3600_000;

describe('abort on the fake cluster', () => {
  const env = useTimeSkipping();

  it('rolls back before the interval ends, keeping the primary on its revision', async () => {
    const r = new FakeRollout(
      quickCanary('abort-canary', (a) => {
        a.interval = INTERVAL;
      }),
    );
    const { fake } = r;
    await r.run(env(), async () => {
      const primaryBefore = fake.deployments.get('podinfo-primary')?.image;
      await r.setImage('6.0.1');
      // Given the canary at its first weight: the workflow's clock is moved past its first tick.
      while (fake.weights.canary === 0) await env().sleep(HOUR_MS / 4);
      const weight = fake.weights.canary;
      const abortedAt = await env().currentTimeMs();
      // When the abort signal arrives, with most of an interval still to run
      await r.handle!.signal(abortSignal);
      // Then the rollout fails and traffic is back on the primary, in less workflow time than an interval
      await r.waitForPhase('Failed');
      const took = (await env().currentTimeMs()) - abortedAt;
      assert.ok(took < HOUR_MS / 4, `the rollback took ${took} ms of workflow time`);
      assert.deepEqual(fake.weights, { primary: 100, canary: 0 });
      assert.equal(Math.max(...fake.weightChanges.map((w) => w.canary)), weight, 'no step after the abort');
      assert.ok(r.eventsFrom(/^New revision detected/).some((m) => /abort requested/.test(m)));
      assert.equal(fake.deployments.get('podinfo-primary')?.image, primaryBefore, 'the primary kept its revision');
    });
  });
});
