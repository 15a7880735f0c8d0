// stepWeightPromotion on the real stack: once the primary runs the new version, the generated
// HTTPProxy hands traffic back to it one step per interval (Flagger's "Advance ... primary weight"),
// instead of all at once, and the Canary's status follows each step.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Canary, CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../../src/api/canary';
import { type HTTPProxy, HTTPPROXY_GROUP, HTTPPROXY_PLURAL, HTTPPROXY_VERSION } from '../../src/api/httpproxy';
import { inOrder } from '../support/events';
import { Scenario } from '../support/scenario';
import { applySeed, seedCanary, TEST_INTERVALS } from '../support/seed';
import { eventually } from '../support/stack';
import { observe } from '../support/watch';

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
    await s.given((sc) => applySeed(sc.kc, ns, steppedCanary()));
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
  });
  after(() => s.tearDown());

  it('routes 70/30, 90/10, then 100/0 after the copy, with the status following each step', async () => {
    // Every version the HTTPProxy and the Canary go through, as their watches deliver them.
    const routes: string[] = [];
    const statuses: string[] = [];
    const pushNew = (list: string[], seen: string) => {
      if (list.at(-1) !== seen) list.push(seen);
    };
    const proxy = await observe<HTTPProxy>(
      s.kc,
      `/apis/${HTTPPROXY_GROUP}/${HTTPPROXY_VERSION}/namespaces/${ns}/${HTTPPROXY_PLURAL}`,
      'podinfo',
      (p) => pushNew(routes, (p.spec.routes?.[0]?.services ?? []).map((x) => x.weight ?? 0).join('/')),
    );
    const canary = await observe<Canary>(s.kc, `/apis/${FLAGGER_GROUP}/${FLAGGER_VERSION}/namespaces/${ns}/${CANARY_PLURAL}`, 'podinfo', (c) =>
      pushNew(statuses, `${c.status?.phase ?? ''} ${c.status?.canaryWeight ?? 0}`),
    );
    try {
      const since = await s.whenImageChanges('6.0.1');
      await s.thenPhase('Succeeded', { since });
      // The watches deliver the last versions too (they may trail the query by a moment).
      await eventually('the watches to see the end', 30_000, () =>
        Promise.resolve(statuses.at(-1) === 'Succeeded 0' && routes.at(-1) === '100/0' ? true : undefined),
      );
    } finally {
      proxy.stop();
      canary.stop();
    }
    assert.equal((await s.canary()).status?.phase, 'Succeeded', `statuses: ${statuses.join(', ')}`);
    assert.deepEqual(routes.slice(routes.indexOf('50/50')), ['50/50', '70/30', '90/10', '100/0'], `routes: ${routes.join(', ')}`);
    const promoting = statuses.slice(statuses.findIndex((x) => x.startsWith('Promoting')));
    assert.deepEqual(
      promoting.filter((x) => !x.startsWith('Finalising')),
      ['Promoting 50', 'Promoting 30', 'Promoting 10', 'Succeeded 0'],
      `statuses: ${statuses.join(', ')}`,
    );

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
