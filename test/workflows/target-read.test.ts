// A look that knows its target from an earlier one reads it beside the Canary, and takes that read
// only while the Canary still names the same target. Real workflow, fake cluster, time-skipping server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeRollout, quickCanary } from '../support/fake-rollout';
import { useTimeSkipping, until } from '../support/time-skipping';

describe('a look at a Canary whose target the run knows', () => {
  const env = useTimeSkipping();

  it('reads the target while the Canary is read', async () => {
    const r = new FakeRollout(quickCanary('target-beside-canary'));
    // Each read takes 200 ms, as on a busy API server; when each began and ended is kept.
    const reads: { of: 'canary' | 'target'; from: number; to: number }[] = [];
    const timed =
      <I, O>(of: 'canary' | 'target', read: (input: I) => Promise<O>) =>
      async (input: I): Promise<O> => {
        const from = Date.now();
        await new Promise((done) => setTimeout(done, 200));
        const out = await read(input);
        reads.push({ of, from, to: Date.now() });
        return out;
      };
    let changedAt = 0;
    await r.run(
      env(),
      async () => {
        changedAt = Date.now();
        await r.setImage('6.0.1');
        await r.waitForPhase('Succeeded');
      },
      { loadCanary: timed('canary', r.fake.activities.loadCanary), inspectTarget: timed('target', r.fake.activities.inspectTarget) },
    );
    const look = reads.find((x) => x.of === 'canary' && x.from >= changedAt);
    assert.ok(look, 'no read of the Canary after the new image');
    const beside = reads.filter((x) => x.of === 'target' && x.from < look.to && x.to > look.from);
    assert.equal(beside.length, 1, 'the target was not read while the Canary was');
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
