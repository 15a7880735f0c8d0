// The pure parts of the Contour router: where managed routes go among a user's routes, when live
// weights survive, and how policies merge.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { desiredRoutes } from '../../../src/activities/router/contour-desired';
import { mergeRoutes, readWeights } from '../../../src/activities/router/contour-merge';
import { managedRoutes } from '../../../src/activities/router/contour-routes';
import { canarySettings } from '../../../src/api/defaults';
import { type HTTPProxyRoute } from '../../../src/api/httpproxy';
import { seedCanary } from '../../api/fixtures';

const names = { primary: 'podinfo-primary', canary: 'podinfo-canary' };
const weighted = canarySettings(seedCanary());
const abCanary = seedCanary();
abCanary.spec.analysis = { interval: '1m', threshold: 2, iterations: 3, match: [{ headers: { 'x-canary': { exact: 'yes' } } }] };
const ab = canarySettings(abCanary);
const fresh = () => 'fresh';

describe('Contour route merging', () => {
  it("puts the managed route where the user's taken-over route was, keeping the others in order", () => {
    const live: HTTPProxyRoute[] = [
      { conditions: [{ prefix: '/api' }], services: [{ name: 'api', port: 80 }] },
      { conditions: [{ prefix: '/' }], services: [{ name: 'podinfo', port: 80 }] },
      { conditions: [{ prefix: '/static' }], services: [{ name: 'cdn', port: 80 }] },
    ];
    const merged = mergeRoutes(live, managedRoutes(weighted, { primary: 100, canary: 0 }), names);
    assert.deepEqual(
      merged.map((r) => r.services?.map((s) => s.name)),
      [['api'], ['podinfo-primary', 'podinfo-canary'], ['cdn']],
    );
  });

  it('keeps live weights, but starts over at 100/0 when the shape changes to A/B', () => {
    const live = desiredRoutes(weighted, [], { primary: 60, canary: 40 }, fresh);
    const kept = desiredRoutes(weighted, live, 'keep', fresh);
    assert.deepEqual(readWeights(kept, names), { primary: 60, canary: 40 });
    const reshaped = desiredRoutes(ab, live, 'keep', fresh);
    assert.equal(reshaped.length, 2);
    assert.deepEqual(readWeights(reshaped, names), { primary: 100, canary: 0 });
  });

  it("keeps a user's route settings on the route they wrote them on when A/B adds a header route", () => {
    const live = [
      { conditions: [{ prefix: '/' }], enableWebsockets: true, services: [{ name: 'podinfo-primary', port: 80 }] },
    ] as unknown as HTTPProxyRoute[];
    const merged = desiredRoutes(ab, live, 'keep', fresh) as (HTTPProxyRoute & { enableWebsockets?: boolean })[];
    const fallback = merged.find((r) => JSON.stringify(r.conditions) === JSON.stringify([{ prefix: '/' }]));
    const header = merged.find((r) => r !== fallback);
    assert.equal(fallback?.enableWebsockets, true);
    assert.equal(header?.enableWebsockets, true, 'the new header route starts from the same settings');
    assert.equal(merged.length, 2);
  });

  it('manages only its own policy keys and never writes Flagger\'s invalid retryOn [""] (#1223)', () => {
    const live: HTTPProxyRoute[] = [
      {
        conditions: [{ prefix: '/' }],
        services: [
          { name: 'podinfo-primary', port: 80, weight: 100 },
          { name: 'podinfo-canary', port: 80 },
        ],
        retryPolicy: { count: 1, retriableStatusCodes: [503] },
        timeoutPolicy: { response: '1s', idleConnection: '1m' } as HTTPProxyRoute['timeoutPolicy'],
      },
    ];
    const [route] = desiredRoutes(weighted, live, 'keep', fresh);
    assert.deepEqual(route?.retryPolicy, { count: 3, perTryTimeout: '5s', retriableStatusCodes: [503] });
    assert.deepEqual(route?.timeoutPolicy, { response: '15s', idle: '5m', idleConnection: '1m' });
  });
});
