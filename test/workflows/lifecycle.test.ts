// The life of a Canary around its rollouts: deleted in the middle of one, set back to the revision
// the primary runs after one failed. Real workflow, fake cluster, Temporal's time-skipping server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeRollout, IMAGE, quickCanary, revisionOf, TARGET } from '../support/fake-rollout';
import { useTimeSkipping, until } from '../support/time-skipping';

describe('around a rollout', () => {
  const env = useTimeSkipping();

  it('ends the workflow of a Canary deleted mid-rollout, without another Event', async () => {
    const r = new FakeRollout(
      quickCanary('deleted-midway', (a) => {
        a.stepWeight = 10;
      }),
    );
    let eventsAtDeletion = 0;
    await r.run(env(), async () => {
      await r.setImage('6.0.1');
      await r.waitForWeight(20);
      eventsAtDeletion = r.fake.events.length;
      await r.deleteCanary();
      await until('the workflow to end', 20_000, async () => ((await r.handle?.describe())?.status.name === 'COMPLETED' ? true : undefined));
    });
    assert.deepEqual(
      r.fake.events.slice(eventsAtDeletion).map((e) => e.message),
      [],
    );
  });

  it('returns to Succeeded without analysis when the target is set back to the promoted revision', async () => {
    const ns = 'back-to-promoted';
    const r = new FakeRollout(quickCanary(ns));
    r.fake.metrics = (metric) => (metric === 'request-success-rate' ? 10 : 50);
    await r.run(env(), async () => {
      await r.setImage('6.0.1');
      await r.waitForPhase('Failed');
      const measured = r.fake.measurements.length;
      await r.setImage('6.0.0');
      await until('Succeeded again', 20_000, () => (r.fake.status.phase === 'Succeeded' ? true : undefined));
      assert.equal(r.fake.measurements.length, measured, 'the promoted revision was analysed again');
    });
    assert.deepEqual(r.eventsFrom(/^No analysis needed/), [`No analysis needed: podinfo.${ns} is back at the revision podinfo-primary.${ns} runs`]);
    assert.equal(r.fake.status.lastAppliedSpec, revisionOf('6.0.0'));
    assert.equal(r.fake.status.lastPromotedSpec, revisionOf('6.0.0'));
    assert.equal(r.fake.events.filter((e) => e.message.startsWith('New revision detected')).length, 1);
  });

  it('rolls out afresh a revision whose start the Canary shows but its workflow never recorded', async () => {
    const ns = 'lost-start';
    const r = new FakeRollout(quickCanary(ns));
    await r.run(env(), async () => {
      // What a workflow task lost with Temporal leaves: the status its first step wrote (the new
      // revision, Progressing), and a workflow that holds no rollout. A workflow started afresh
      // holds none either, and is what the watcher's next notice finds here.
      await r.handle?.terminate('test: the workflow task that started the rollout was lost');
      r.fake.setImage(TARGET, `${IMAGE}:6.0.1`);
      const canary = r.fake.canary;
      if (canary === undefined) throw new Error('the Canary is gone');
      canary.status = { ...canary.status, phase: 'Progressing', lastAppliedSpec: revisionOf('6.0.1'), canaryWeight: 0 };
      await r.start('test: resync');
      await r.waitForPhase('Succeeded');
    });
    assert.deepEqual(
      r.fake.promotions.map((p) => p.revision),
      [revisionOf('6.0.1')],
    );
    assert.ok((r.fake.promotions[0]?.measured ?? 0) > 0, 'the revision was analysed before the primary received it');
    assert.deepEqual(r.fake.weightChanges.at(-1), { primary: 100, canary: 0 });
  });

  it('names the failing check, its value and threshold in the Promoted condition of a failed rollout', async () => {
    const r = new FakeRollout(quickCanary('why-failed'));
    r.fake.metrics = (metric) => (metric === 'request-success-rate' ? 10 : 50);
    await r.run(env(), async () => {
      await r.setImage('6.0.1');
      await r.waitForPhase('Failed');
    });
    const promoted = r.fake.status.conditions?.find((c) => c.type === 'Promoted');
    assert.equal(promoted?.status, 'False');
    assert.match(promoted?.message ?? '', /^Canary analysis failed, Deployment scaled to zero\. .*request-success-rate.*10.*99/);
  });

  it("mirrors the primary's requests to the canary for one analysed interval before the first weight", async () => {
    const r = new FakeRollout(
      quickCanary('mirror', (a) => {
        a.mirror = true;
        a.mirrorWeight = 50;
        a.stepWeight = 50;
      }),
    );
    await r.run(env(), async () => {
      await r.setImage('6.0.1');
      await r.waitForPhase('Succeeded');
    });
    assert.deepEqual(r.fake.weightChanges, [
      { primary: 100, canary: 0, mirror: true },
      { primary: 50, canary: 50 },
      { primary: 100, canary: 0 },
    ]);
    assert.ok(
      r.fake.events.some((e) => e.message === 'Advance podinfo.mirror canary weight 0'),
      r.fake.events.map((e) => e.message).join('\n'),
    );
  });
});
