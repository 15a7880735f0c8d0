// The HTTPProxy shapes Flagger's Contour router never wrote: a mirrored canary, query-parameter
// matches in A/B, and session affinity by cookie through a whole rollout. Pure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { desiredRoutes } from '../../../src/activities/router/contour-desired';
import { readWeights } from '../../../src/activities/router/contour-merge';
import { cookieCondition } from '../../../src/activities/router/contour-routes';
import { type Canary } from '../../../src/api/canary';
import { canarySettings } from '../../../src/api/defaults';
import { type HTTPProxyRoute } from '../../../src/api/httpproxy';
import { seedCanary } from '../../api/fixtures';

const names = { primary: 'podinfo-primary', canary: 'podinfo-canary' };

function settingsWith(edit: (c: Canary) => void) {
  const c = seedCanary();
  edit(c);
  return canarySettings(c);
}

/** A sequence of writes, each on the routes the last one left, with numbered fresh cookie values. */
function writer(settings: ReturnType<typeof canarySettings>) {
  let routes: HTTPProxyRoute[] = [];
  let drawn = 0;
  return (weights: Parameters<typeof desiredRoutes>[2]) => {
    routes = desiredRoutes(settings, routes, weights, () => `v${++drawn}`);
    return routes;
  };
}

const setCookies = (r: HTTPProxyRoute | undefined) =>
  (r?.services ?? []).map((s) => s.responseHeadersPolicy?.set?.find((h) => h.name === 'Set-Cookie')?.value);

describe('Contour mirroring', () => {
  const mirrored = settingsWith((c) => {
    c.spec.analysis = { ...c.spec.analysis, mirror: true, mirrorWeight: 30 };
  });

  it('mirrors mirrorWeight% of the requests to the canary while it has no weight, and reads that back', () => {
    const write = writer(mirrored);
    const [route] = write({ primary: 100, canary: 0, mirror: true });
    assert.deepEqual(
      route?.services?.map((s) => [s.name, s.weight, s.mirror]),
      [
        ['podinfo-primary', 100, undefined],
        ['podinfo-canary', 30, true],
      ],
    );
    assert.deepEqual(readWeights(write('keep'), names), { primary: 100, canary: 0, mirror: true }, 'a reconcile keeps the mirror');
    const [stepped] = write({ primary: 90, canary: 10 });
    assert.deepEqual(
      stepped?.services?.map((s) => [s.name, s.weight, s.mirror]),
      [
        ['podinfo-primary', 90, undefined],
        ['podinfo-canary', 10, undefined],
      ],
    );
  });

  it('mirrors every request when mirrorWeight is unset or 100 (Contour reads no weight on a mirror as all)', () => {
    for (const mirrorWeight of [undefined, 100]) {
      const s = settingsWith((c) => {
        c.spec.analysis = { ...c.spec.analysis, mirror: true, ...(mirrorWeight && { mirrorWeight }) };
      });
      const [route] = desiredRoutes(s, [], { primary: 100, canary: 0, mirror: true }, () => 'x');
      assert.deepEqual(route?.services?.[1], {
        name: 'podinfo-canary',
        port: 80,
        mirror: true,
        requestHeadersPolicy: { set: [{ name: 'l5d-dst-override', value: 'podinfo-canary.test.svc.cluster.local:80' }] },
      });
    }
  });

  it('drops a live mirror on reconcile once analysis.mirror is off', () => {
    const live = desiredRoutes(mirrored, [], { primary: 100, canary: 0, mirror: true }, () => 'x');
    const plain = settingsWith(() => undefined);
    const [route] = desiredRoutes(plain, live, 'keep', () => 'x');
    assert.deepEqual(
      route?.services?.map((s) => [s.name, s.weight, s.mirror]),
      [
        ['podinfo-primary', 100, undefined],
        ['podinfo-canary', undefined, undefined],
      ],
    );
  });
});

describe('Contour A/B query-parameter matches', () => {
  it('matches match[].queryParams with Contour queryParameter conditions, next to the header ones', () => {
    const s = settingsWith((c) => {
      c.spec.analysis = {
        interval: '1m',
        threshold: 2,
        iterations: 3,
        match: [
          { headers: { 'x-canary': { exact: 'yes' } }, queryParams: { variant: { exact: 'b' }, beta: { regex: '1|true' } } },
          { queryParams: { tier: { prefix: 'gold' } } },
        ],
      };
    });
    const routes = desiredRoutes(s, [], { primary: 0, canary: 100 }, () => 'x');
    assert.deepEqual(
      routes.map((r) => r.conditions),
      [
        [
          { prefix: '/', header: { name: 'x-canary', exact: 'yes' } },
          { queryParameter: { name: 'beta', regex: '1|true' } },
          { queryParameter: { name: 'variant', exact: 'b' } },
        ],
        [{ prefix: '/' }, { queryParameter: { name: 'tier', prefix: 'gold' } }],
        [{ prefix: '/' }],
      ],
    );
    assert.deepEqual(
      routes.map((r) => r.services?.map((x) => x.weight)),
      [
        [undefined, 100],
        [undefined, 100],
        [100, undefined],
      ],
    );
  });
});

describe('Contour match routes under the canary strategy', () => {
  it('weights only the matching requests, as Flagger builds the A/B shape whenever match is set', () => {
    const s = settingsWith((c) => {
      c.spec.analysis = { ...c.spec.analysis, match: [{ headers: { 'x-canary': { exact: 'yes' } } }] };
    });
    assert.equal(s.strategy, 'canary');
    const routes = desiredRoutes(s, [], { primary: 90, canary: 10 }, () => 'x');
    assert.deepEqual(
      routes.map((r) => [r.conditions, r.services?.map((x) => x.weight)]),
      [
        [[{ prefix: '/', header: { name: 'x-canary', exact: 'yes' } }], [90, 10]],
        [[{ prefix: '/' }], [100, undefined]],
      ],
    );
  });
});

describe('Contour session affinity', () => {
  const sticky = settingsWith((c) => {
    c.spec.analysis = {
      ...c.spec.analysis,
      sessionAffinity: { cookieName: 'flagger-cookie', maxAge: 600, path: '/', secure: true, sameSite: 'Lax' },
    };
  });

  it("sets the canary's cookie on its responses and keeps its bearers on the canary, one cookie per rollout", () => {
    const write = writer(sticky);
    assert.equal(write('keep').length, 1, 'no cookie route before the canary has weight');
    const step1 = write({ primary: 90, canary: 10 });
    assert.deepEqual(setCookies(step1[0]), [undefined, 'flagger-cookie=v1; Max-Age=600; Path=/; Secure; SameSite=Lax']);
    assert.deepEqual(step1[1]?.conditions, [{ prefix: '/', header: cookieCondition('flagger-cookie=v1') }]);
    assert.deepEqual(
      step1[1]?.services?.map((x) => x.weight),
      [undefined, 100],
    );
    assert.deepEqual(readWeights(step1, names), { primary: 90, canary: 10 }, 'the weighted route is still the one read');

    const step2 = write({ primary: 80, canary: 20 });
    assert.equal(setCookies(step2[0])[1], 'flagger-cookie=v1; Max-Age=600; Path=/; Secure; SameSite=Lax', 'the same cookie all rollout');
    assert.equal(write('keep')[1]?.conditions?.[0]?.header?.regex, cookieCondition('flagger-cookie=v1').regex);

    const done = write({ primary: 100, canary: 0 });
    assert.deepEqual(setCookies(done[0]), [undefined, undefined]);
    assert.deepEqual(done[1]?.conditions, [{ prefix: '/', header: cookieCondition('flagger-cookie=v1') }]);
    assert.deepEqual(
      done[1]?.services?.map((x) => x.weight),
      [100, undefined],
      'its bearers go back to the primary',
    );
    assert.deepEqual(done[1]?.responseHeadersPolicy, { set: [{ name: 'Set-Cookie', value: 'flagger-cookie=v1; Max-Age=0' }] }, '...which deletes it');
    assert.equal(write('keep')[1]?.responseHeadersPolicy?.set?.[0]?.value, 'flagger-cookie=v1; Max-Age=0');

    const next = write({ primary: 95, canary: 5 });
    assert.equal(next.length, 2, "the expired cookie route is replaced by the new rollout's");
    assert.equal(setCookies(next[0])[1]?.split(';')[0], 'flagger-cookie=v2');
    assert.equal(next[1]?.responseHeadersPolicy, undefined);
  });

  it('pins primary users for one step with primaryCookieName (Max-Age one interval), as Flagger does', () => {
    const both = settingsWith((c) => {
      c.spec.analysis = { ...c.spec.analysis, interval: '30s', sessionAffinity: { cookieName: 'canary', primaryCookieName: 'stable' } };
    });
    const write = writer(both);
    const step1 = write({ primary: 90, canary: 10 });
    assert.deepEqual(setCookies(step1[0]), ['stable=v2; Max-Age=30', 'canary=v1; Max-Age=86400']);
    assert.deepEqual(
      step1.slice(1).map((r) => [r.conditions?.[0]?.header?.regex, r.services?.map((x) => x.weight)]),
      [
        [cookieCondition('canary=v1').regex, [undefined, 100]],
        [cookieCondition('stable=v2').regex, [100, undefined]],
      ],
    );
    assert.equal(setCookies(write('keep')[0])[0], 'stable=v2; Max-Age=30', 'kept while the weights hold');
    assert.equal(setCookies(write({ primary: 80, canary: 20 })[0])[0], 'stable=v3; Max-Age=30', 'redrawn when they move');
  });

  it('matches the cookie among others in a Cookie header, and nothing that merely contains it', () => {
    const re = new RegExp(`^(?:${cookieCondition('flagger-cookie=a.b').regex ?? ''})$`);
    for (const header of ['flagger-cookie=a.b', 'x=1; flagger-cookie=a.b', 'x=1;flagger-cookie=a.b; y=2']) assert.ok(re.test(header), header);
    for (const header of ['flagger-cookie=aXb', 'my-flagger-cookie=a.b', 'flagger-cookie=a.bc', 'x=flagger-cookie=a.b'])
      assert.ok(!re.test(header), header);
  });
});
