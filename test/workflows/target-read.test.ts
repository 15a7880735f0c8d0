// A look that knows its target from an earlier one reads it beside the Canary, and takes that read
// only while the Canary still names the same target. Real workflow, fake cluster, time-skipping server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ClusterActivities } from '../support/fake-cluster';
import { FakeRollout, quickCanary } from '../support/fake-rollout';
import { useTimeSkipping, until } from '../support/time-skipping';

describe('a look at a Canary whose target the run knows', () => {
  const env = useTimeSkipping();

  it('reads the target while the Canary is read', async () => {
    const r = new FakeRollout(quickCanary('target-beside-canary'));
    const reads = new TimedReads(r);
    await r.run(
      env(),
      async () => {
        reads.mark();
        await r.setImage('6.0.1');
        await r.waitForPhase('Succeeded');
      },
      reads.activities,
    );
    reads.assertTargetBesideCanary();
  });

  it('reads the target while the Canary is read at a change in the middle of a rollout', async () => {
    const r = new FakeRollout(quickCanary('target-beside-canary-midway', (a) => (a.stepWeight = 10)));
    const reads = new TimedReads(r);
    await r.run(
      env(),
      async () => {
        await r.setImage('6.0.1');
        await r.waitForWeight(20);
        reads.mark();
        await r.setImage('6.0.2');
        await r.waitForPhase('Succeeded');
      },
      reads.activities,
    );
    assert.equal(r.eventsFrom(/^New revision detected! Restarting/).length > 0, true, 'the analysis did not restart');
    reads.assertTargetBesideCanary();
  });

  it('reads the target the Canary names now, not the one it named before', async () => {
    const ns = 'target-renamed';
    const r = new FakeRollout(quickCanary(ns));
    await r.run(env(), async () => {
      await r.editCanary((c) => {
        c.spec.targetRef.name = 'podinfo-next';
      });
      await until('the Canary reported invalid', 20_000, () =>
        r.fake.events.some((e) => e.message.includes('target Deployment podinfo-next')) ? true : undefined,
      );
    });
    assert.deepEqual(r.eventsFrom(/^Canary is invalid/), [`Canary is invalid: target Deployment podinfo-next.${ns} not found`]);
  });
});

/** Reads of the Canary and of its target that take 200 ms each, as on a busy API server, with when each ran. */
class TimedReads {
  private readonly reads: { of: 'canary' | 'target'; from: number; to: number }[] = [];
  private since = 0;
  readonly activities: Pick<ClusterActivities, 'loadCanary' | 'inspectTarget'>;

  constructor(r: FakeRollout) {
    const { loadCanary, inspectTarget } = r.fake.activities;
    this.activities = { loadCanary: this.timed('canary', loadCanary), inspectTarget: this.timed('target', inspectTarget) };
  }

  /** The change whose look is judged comes after this. */
  mark(): void {
    this.since = Date.now();
  }

  /** The first read of the Canary after the mark overlapped a read of the target. */
  assertTargetBesideCanary(): void {
    const look = this.reads.find((x) => x.of === 'canary' && x.from >= this.since);
    assert.ok(look, 'no read of the Canary after the change');
    const beside = this.reads.filter((x) => x.of === 'target' && x.from < look.to && x.to > look.from);
    assert.equal(beside.length, 1, 'the target was not read while the Canary was');
  }

  private timed<I, O>(of: 'canary' | 'target', read: (input: I) => Promise<O>): (input: I) => Promise<O> {
    return async (input) => {
      const from = Date.now();
      await new Promise((done) => setTimeout(done, 200));
      const out = await read(input);
      this.reads.push({ of, from, to: Date.now() });
      return out;
    };
  }
}
