// How a promotion ends, on the real canaryWorkflow with the cluster faked in memory (Temporal's
// time-skipping server, held at wall-clock speed; intervals are 2 seconds): traffic returned to the
// primary in stepWeightPromotion steps, and the `state` query (what `perch status` and the demo
// show) never running ahead of the Canary.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Canary, type CanaryPhase } from '../../src/api/canary';
import { type ClusterActivities } from '../support/fake-cluster';
import { FakeRollout, quickCanary, TARGET } from '../support/fake-rollout';
import { useTimeSkipping, until } from '../support/time-skipping';

/** Blue/green, or A/B testing once `match` is set: two iterations in place of the weight steps. */
function twoIterations(a: Canary['spec']['analysis']): void {
  delete a.maxWeight;
  delete a.stepWeight;
  a.iterations = 2;
}

describe('promotion on the fake cluster', () => {
  const env = useTimeSkipping();

  /** Rolls 6.0.1 out to Succeeded on the fake. */
  async function promote(r: FakeRollout, activities: Partial<ClusterActivities> = {}, during?: () => Promise<unknown>): Promise<void> {
    await r.run(
      env(),
      async () => {
        await r.setImage('6.0.1');
        await (during ?? (() => r.waitForPhase('Succeeded')))();
      },
      activities,
    );
  }

  it('returns traffic to the primary in stepWeightPromotion steps, one per interval', async () => {
    const ns = 'steps-canary';
    const r = new FakeRollout(
      quickCanary(ns, (a) => {
        a.stepWeightPromotion = 20;
      }),
    );
    const { fake } = r;
    await promote(r);
    assert.deepEqual(
      fake.weightChanges.map((w) => [w.primary, w.canary]),
      [
        [75, 25],
        [50, 50],
        [70, 30],
        [90, 10],
        [100, 0],
      ],
    );
    assert.deepEqual(r.eventsFrom(/^Copying/), [
      `Copying podinfo.${ns} template spec to podinfo-primary.${ns}`,
      `Advance podinfo.${ns} primary weight 70`,
      `Advance podinfo.${ns} primary weight 90`,
      `Advance podinfo.${ns} primary weight 100`,
      `Promotion completed! Scaling down podinfo.${ns}`,
    ]);
    const promoting = fake.statusWrites.slice(fake.statusWrites.findIndex((w) => w.phase === 'Promoting'));
    assert.deepEqual(
      promoting.map((w) => [w.phase, w.canaryWeight]),
      [
        ['Promoting', 50],
        ['Promoting', 30],
        ['Promoting', 10],
        ['Finalising', 0],
        ['Succeeded', 0],
      ],
    );
    assert.equal(fake.deployment(TARGET)?.replicas, 0);
  });

  it('steps blue/green back from all traffic on the canary', async () => {
    const ns = 'steps-blue-green';
    const r = new FakeRollout(
      quickCanary(ns, (a) => {
        twoIterations(a);
        a.stepWeightPromotion = 40;
      }),
    );
    const { fake } = r;
    await promote(r);
    assert.deepEqual(
      fake.weightChanges.map((w) => [w.primary, w.canary]),
      [
        [0, 100],
        [40, 60],
        [80, 20],
        [100, 0],
      ],
    );
    assert.deepEqual(r.eventsFrom(/^Advance .* primary weight/), [
      `Advance podinfo.${ns} primary weight 40`,
      `Advance podinfo.${ns} primary weight 80`,
      `Advance podinfo.${ns} primary weight 100`,
      `Promotion completed! Scaling down podinfo.${ns}`,
    ]);
  });

  it('returns A/B traffic at once: only the matching users were on the canary', async () => {
    const ns = 'steps-ab';
    const r = new FakeRollout(
      quickCanary(ns, (a) => {
        twoIterations(a);
        a.match = [{ headers: { 'x-canary': { exact: 'insider' } } }];
        a.stepWeightPromotion = 20;
      }),
    );
    const { fake } = r;
    await promote(r);
    assert.deepEqual(
      fake.weightChanges.map((w) => [w.primary, w.canary]),
      [
        [0, 100],
        [100, 0],
      ],
    );
    assert.ok(fake.events.some((e) => e.message === 'Routing all traffic to primary'));
    assert.ok(!fake.events.some((e) => / primary weight /.test(e.message)));
  });

  it('answers a phase in the state query only once the Canary has it', async () => {
    const r = new FakeRollout(quickCanary('state-query'));
    const { fake } = r;
    // Holds the write of the final phase until the test has asked the workflow where it stands.
    let heldWrite: CanaryPhase | undefined;
    let release = (): void => undefined;
    const released = new Promise<void>((r) => {
      release = r;
    });
    const writeCanaryStatus: ClusterActivities['writeCanaryStatus'] = async (input) => {
      if (input.status.phase === 'Succeeded') {
        heldWrite = input.status.phase;
        await released;
      }
      return fake.activities.writeCanaryStatus(input);
    };
    await promote(r, { writeCanaryStatus }, async () => {
      await until('the Succeeded write to start', 60_000, () => heldWrite);
      try {
        const during = await r.view();
        assert.equal(fake.status.phase, 'Finalising');
        assert.equal(during.phase, 'Finalising', 'the query answered a phase the Canary does not have yet');
      } finally {
        // The worker cannot shut down while the write is held.
        release();
      }
      const done = await until('the query to answer Succeeded', 20_000, async () => {
        const view = await r.view();
        return view.phase === 'Succeeded' ? view : undefined;
      });
      assert.equal(fake.status.phase, 'Succeeded');
      assert.equal(done.canaryWeight, 0);
    });
  });
});
