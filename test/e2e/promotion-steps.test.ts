// stepWeightPromotion on the real stack: once the primary runs the new version, the generated
// HTTPProxy hands traffic back to it one step per interval (Flagger's "Advance ... primary weight"),
// instead of all at once, and the Canary's status follows each step.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Canary } from '../../src/api/canary';
import { inOrder } from '../support/events';
import { Scenario } from '../support/scenario';
import { applySeed, seedCanary, TEST_INTERVALS } from '../support/seed';

const ns = 'e2e-promotion-steps';

/** The seed's Canary in two steps of 25 to 50%, then back to the primary in steps of 20. */
function steppedCanary(): Canary {
  const c = seedCanary(TEST_INTERVALS, ns);
  c.spec.analysis.stepWeight = 25;
  c.spec.analysis.stepWeightPromotion = 20;
  return c;
}

describe('stepWeightPromotion: traffic returns to the primary step by step', () => {
  const s = new Scenario(ns);

  before(async () => {
    await s.setUp((sc) => applySeed(sc.kc, ns, steppedCanary()));
    await s.waitForPhase('Initialized', 120_000);
  });
  after(() => s.tearDown());

  it('routes 70/30, 90/10, then 100/0 after the copy, with the status following each step', async () => {
    await s.setImage('6.0.1');
    // Everything the HTTPProxy and the status say, in the order seen, until the rollout ends.
    const routes: string[] = [];
    const statuses: string[] = [];
    for (let phase = ''; phase !== 'Succeeded' && phase !== 'Failed';) {
      const [weights, canary] = await Promise.all([s.weights(), s.canary()]);
      const seen = weights.join('/');
      if (routes.at(-1) !== seen) routes.push(seen);
      phase = canary.status?.phase ?? '';
      const status = `${phase} ${canary.status?.canaryWeight ?? 0}`;
      if (statuses.at(-1) !== status) statuses.push(status);
      await new Promise((r) => setTimeout(r, 200));
      if (routes.length > 50) assert.fail(`the routes kept changing: ${routes.join(', ')}`);
    }
    assert.equal((await s.canary()).status?.phase, 'Succeeded', `statuses: ${statuses.join(', ')}`);
    // One step per 5 s interval, polled every 200 ms: no step goes unseen.
    assert.deepEqual(routes.slice(routes.indexOf('50/50')), ['50/50', '70/30', '90/10', '100/0'], `routes: ${routes.join(', ')}`);
    const promoting = statuses.slice(statuses.findIndex((x) => x.startsWith('Promoting')));
    assert.deepEqual(promoting.filter((x) => !x.startsWith('Finalising')),
      ['Promoting 50', 'Promoting 30', 'Promoting 10', 'Succeeded 0'], `statuses: ${statuses.join(', ')}`);

    const problem = inOrder(s.messages(), [
      `Advance ${s.canaryId} canary weight 50`,
      `Copying podinfo.${ns} template spec to podinfo-primary.${ns}`,
      `Advance ${s.canaryId} primary weight 70`,
      `Advance ${s.canaryId} primary weight 90`,
      `Advance ${s.canaryId} primary weight 100`,
      `Promotion completed! Scaling down podinfo.${ns}`,
    ]);
    assert.equal(problem, undefined, problem);
    assert.ok(!s.messages().includes('Routing all traffic to primary'), 'traffic went back in one move');
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.1');
  });
});
