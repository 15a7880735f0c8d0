// Edits to a Canary's spec during a rollout take effect at the next interval, as in Flagger, on the
// real workflow with the cluster faked (Temporal's time-skipping server; 2-second intervals).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeRollout, quickCanary } from '../support/fake-rollout';
import { useTimeSkipping, until } from '../support/time-skipping';

const INTERVAL_MS = 2000;

describe('spec edits during a rollout', () => {
  const env = useTimeSkipping();

  it('lowers maxWeight under a running analysis: promotion follows the next step', async () => {
    const r = new FakeRollout(
      quickCanary('edit-max-weight', (a) => {
        a.stepWeight = 10;
        a.maxWeight = 50;
      }),
    );
    await r.run(env(), async () => {
      await r.setImage('6.0.1');
      await r.waitForWeight(10);
      await r.editCanary((c) => {
        c.spec.analysis.maxWeight = 20;
      });
      await r.waitForPhase('Succeeded');
    });
    // 10, then 20 (the new maximum), then back to the primary: never 30.
    assert.deepEqual(
      r.fake.weightChanges.map((w) => w.canary),
      [10, 20, 0],
    );
    assert.equal(r.fake.status.observedGeneration, 2);
  });

  it('freezes on suspend and goes on when it is lifted', async () => {
    const r = new FakeRollout(
      quickCanary('edit-suspend', (a) => {
        a.stepWeight = 10;
      }),
    );
    await r.run(env(), async () => {
      await r.setImage('6.0.1');
      await r.waitForWeight(10);
      await r.editCanary((c) => {
        c.spec.suspend = true;
      });
      await until('the suspension announced', 20_000, () =>
        r.fake.events.some((e) => e.message === 'skipping canary run as object is suspended') ? true : undefined,
      );
      const frozenAt = r.fake.weightChanges.length;
      await env().sleep(5 * INTERVAL_MS);
      assert.equal(r.fake.weightChanges.length, frozenAt, 'the weight moved while suspended');
      assert.equal(r.fake.events.filter((e) => e.message === 'skipping canary run as object is suspended').length, 1);
      await r.editCanary((c) => {
        c.spec.suspend = false;
      });
      await r.waitForPhase('Succeeded');
    });
    assert.deepEqual(
      r.fake.weightChanges.map((w) => w.canary),
      [10, 20, 30, 40, 50, 0],
    );
  });

  it('promotes at the next interval once skipAnalysis is set', async () => {
    const r = new FakeRollout(
      quickCanary('edit-skip', (a) => {
        a.stepWeight = 10;
      }),
    );
    await r.run(env(), async () => {
      await r.setImage('6.0.1');
      await r.waitForWeight(10);
      await r.editCanary((c) => {
        c.spec.skipAnalysis = true;
      });
      await r.waitForPhase('Succeeded');
    });
    assert.ok(r.fake.events.some((e) => e.message === 'Promotion completed! Canary analysis was skipped for podinfo.edit-skip'));
    assert.ok(!r.fake.weightChanges.some((w) => w.canary > 20), 'the analysis went on after skipAnalysis');
  });

  it('rolls back at the next interval when the threshold drops below the failed checks', async () => {
    let failing = false;
    const r = new FakeRollout(
      quickCanary('edit-threshold', (a) => {
        a.stepWeight = 10;
        a.threshold = 5;
      }),
    );
    r.fake.metrics = (metric) => (metric === 'request-success-rate' ? (failing ? 50 : 100) : 50);
    await r.run(env(), async () => {
      await r.setImage('6.0.1');
      await r.waitForWeight(10);
      failing = true;
      await until('two failed checks', 20_000, () => ((r.fake.status.failedChecks ?? 0) >= 2 ? true : undefined));
      await r.editCanary((c) => {
        c.spec.analysis.threshold = 2;
      });
      await r.waitForPhase('Failed');
    });
    assert.ok(r.fake.events.some((e) => /^Rolling back podinfo\.edit-threshold failed checks threshold reached \d+$/.test(e.message)));
  });

  it('holds an analysis whose spec became invalid, says so once, and goes on once fixed', async () => {
    const r = new FakeRollout(
      quickCanary('edit-invalid', (a) => {
        a.stepWeight = 10;
      }),
    );
    await r.run(env(), async () => {
      await r.setImage('6.0.1');
      await r.waitForWeight(10);
      await r.editCanary((c) => {
        c.spec.analysis.metrics = [{ name: 'no-such-metric', interval: '1m' }];
      });
      await until('the problem reported', 20_000, () => (r.fake.events.some((e) => e.message.startsWith('Canary is invalid')) ? true : undefined));
      const heldAt = r.fake.weightChanges.length;
      await env().sleep(5 * INTERVAL_MS);
      assert.equal(r.fake.weightChanges.length, heldAt, 'the weight moved under an invalid spec');
      assert.equal(r.fake.events.filter((e) => e.message.startsWith('Canary is invalid')).length, 1);
      assert.equal(r.fake.status.phase, 'Progressing');
      await r.editCanary((c) => {
        c.spec.analysis.metrics = [];
      });
      await r.waitForPhase('Succeeded');
    });
    assert.match(
      r.fake.events.find((e) => e.message.startsWith('Canary is invalid'))?.message ?? '',
      /no-such-metric.*the analysis holds until it is fixed$/,
    );
  });

  it('answers the generation it acts on in the state query and the status', async () => {
    const r = new FakeRollout(quickCanary('edit-generation'));
    await r.run(env(), async () => {
      await r.editCanary((c) => {
        c.spec.analysis.threshold = 3;
      });
      await until('generation 2 observed', 20_000, () => (r.fake.status.observedGeneration === 2 ? true : undefined));
      assert.equal((await r.view()).generation, 2);
    });
  });
});
