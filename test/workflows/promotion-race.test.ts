// The primary only ever receives a revision whose analysis passed. A rollout of 6.0.1 is run to its
// end once to list every activity from its last analysed step on; then, for every point of that
// list (before each activity, inside the copy, after each activity), a fresh rollout has its image
// changed to 6.0.2 exactly there. Whatever the point, each revision the primary receives must have
// been the target's at every measurement of the analysis that preceded the copy, and the rollouts
// must end with 6.0.2 analysed and promoted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ClusterActivities } from '../support/fake-cluster';
import { FakeRollout, quickCanary, revisionOf } from '../support/fake-rollout';
import { useTimeSkipping, until } from '../support/time-skipping';

/** Measurements in one analysis of the quick Canary: 2 steps (25, 50) × 2 metrics. */
const MEASURED_PER_ANALYSIS = 4;

type Point = { when: 'before' | 'after' | 'during'; call: number; activity: string };

/**
 * Wraps the fake's activities so that each call from the moment the canary reaches its last step
 * (routes 50/50) is counted, and `at(point)` runs at the given point.
 */
function instrument(r: FakeRollout, at: (p: Point) => void): Partial<ClusterActivities> {
  let counting = false;
  let call = 0;
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(r.fake.activities) as [string, (...a: unknown[]) => Promise<unknown>][]) {
    wrapped[name] = async (...args: unknown[]) => {
      const n = counting ? ++call : 0;
      if (n > 0) at({ when: 'before', call: n, activity: name });
      const result = await fn(...args);
      if (n > 0) at({ when: 'after', call: n, activity: name });
      if (name === 'setWeights' && r.fake.weights.canary === 50) counting = true;
      return result;
    };
  }
  r.fake.duringPromotion = () => at({ when: 'during', call, activity: 'promotePrimary' });
  return wrapped;
}

describe('a new image at any point of a promotion', () => {
  const env = useTimeSkipping();

  it('gives the primary only revisions analysed to the end, at every point', async (t) => {
    // The dry run: every point from the last step to Succeeded, in order.
    const dry = new FakeRollout(quickCanary('race-dry'));
    const points: Point[] = [];
    await dry.run(
      env(),
      async (r) => {
        await r.setImage('6.0.1');
        await r.waitForPhase('Succeeded');
      },
      instrument(dry, (p) => points.push(p)),
    );
    const promotion = points.findIndex((p) => p.activity === 'promotePrimary');
    assert.ok(promotion > 0 && points.some((p) => p.when === 'during'), `the dry run never promoted: ${JSON.stringify(points)}`);
    t.diagnostic(`${points.length} points, from ${points[0]?.activity} to ${points.at(-1)?.activity}`);

    // One rollout per point, a few at a time (each has its own worker).
    const failures: string[] = [];
    for (let i = 0; i < points.length; i += 6) {
      await Promise.all(
        points.slice(i, i + 6).map(async (point, j) => {
          const r = new FakeRollout(quickCanary(`race-${i + j}`));
          let changed = false;
          const change = (p: Point) => {
            if (changed || p.when !== point.when || p.call !== point.call) return;
            changed = true;
            r.fake.setImage('podinfo', 'ghcr.io/stefanprodan/podinfo:6.0.2');
            void r.notify('test: new image during the promotion');
          };
          await r.run(
            env(),
            async () => {
              await r.setImage('6.0.1');
              await until(`6.0.2 promoted (${point.when} call ${point.call}, ${point.activity})`, 90_000, () =>
                r.fake.status.phase === 'Succeeded' && r.fake.status.lastAppliedSpec === revisionOf('6.0.2') ? true : undefined,
              );
            },
            instrument(r, change),
          );
          const where = `${point.when} ${point.activity} (call ${point.call})`;
          for (const p of r.fake.promotions) {
            const analysed = r.fake.measurements.slice(p.measured - MEASURED_PER_ANALYSIS, p.measured);
            if (analysed.length < MEASURED_PER_ANALYSIS || analysed.some((m) => m !== p.revision)) {
              failures.push(`${where}: the primary received ${p.revision} after measuring ${analysed.join(', ')}`);
            }
          }
          if (r.fake.deployment('podinfo-primary')?.revision !== revisionOf('6.0.2')) failures.push(`${where}: the primary does not run 6.0.2`);
        }),
      );
    }
    assert.deepEqual(failures, []);
  });
});
