// Readiness every interval, as Flagger checks it every tick: while the canary or the primary is not
// ready (an autoscaler raised its replicas, a node went away) nothing moves and no check counts, a
// Warning says why each interval, and the progress deadline rolls the rollout back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeRollout, quickCanary } from '../support/fake-rollout';
import { useTimeSkipping, until } from '../support/time-skipping';

const INTERVAL_MS = 2000;
const HALF_READY = 'waiting for rollout to finish: 2 of 4 (readyThreshold 100%) updated replicas are available';

describe('readiness every interval', () => {
  const env = useTimeSkipping();

  for (const side of ['canary', 'primary'] as const) {
    it(`holds the weight while the ${side} is not ready, with Flagger's Warning each interval, then goes on`, async () => {
      const ns = `unready-${side}`;
      const deployment = side === 'canary' ? 'podinfo' : 'podinfo-primary';
      const warning =
        side === 'canary' ? `canary deployment podinfo.${ns} not ready: ${HALF_READY}` : `podinfo-primary.${ns} not ready: ${HALF_READY}`;
      const r = new FakeRollout(
        quickCanary(ns, (a) => {
          a.stepWeight = 10;
        }),
      );
      await r.run(env(), async () => {
        await r.setImage('6.0.1');
        await r.waitForWeight(10);
        r.fake.unready.set(deployment, { message: HALF_READY });
        await until('the first Warning', 20_000, () => (r.fake.events.some((e) => e.message === warning) ? true : undefined));
        const heldAt = r.fake.weightChanges.length;
        const checks = r.fake.measurements.length;
        await env().sleep(4 * INTERVAL_MS);
        assert.equal(r.fake.weightChanges.length, heldAt, 'the weight moved while not ready');
        assert.equal(r.fake.measurements.length, checks, 'metrics were measured while not ready');
        assert.ok(r.fake.events.filter((e) => e.message === warning).length >= 3, 'not one Warning per interval');
        assert.equal(r.fake.status.failedChecks, 0);
        r.fake.unready.delete(deployment);
        await r.waitForPhase('Succeeded');
      });
    });
  }

  it('rolls back once the canary is past its progress deadline', async () => {
    const ns = 'unready-deadline';
    const r = new FakeRollout(
      quickCanary(ns, (a) => {
        a.stepWeight = 10;
      }),
    );
    await r.run(env(), async () => {
      await r.setImage('6.0.1');
      await r.waitForWeight(10);
      r.fake.unready.set('podinfo', { message: 'deployment "podinfo" exceeded its progress deadline', deadlineExceeded: true });
      await r.waitForPhase('Failed');
    });
    assert.deepEqual(r.eventsFrom(/^Rolling back/), [
      `Rolling back podinfo.${ns} progress deadline exceeded canary deployment podinfo.${ns} not ready: deployment "podinfo" exceeded its progress deadline`,
      `Canary failed! Scaling down podinfo.${ns}`,
    ]);
    assert.equal(r.fake.weights.canary, 0);
    assert.equal(r.fake.deployment('podinfo')?.replicas, 0);
  });
});
