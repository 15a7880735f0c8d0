// The seed's A/B testing section end to end: iterations with header and cookie match conditions.
// During the analysis the simulated Envoy sends matching requests to the canary only and all others
// to the primary; each header matcher kind (exact, prefix, suffix, regex) matches exactly what it
// says; the rollout promotes after N iterations; and a pre-existing HTTPProxy keeps what Perch does
// not manage.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import { type Canary } from '../../src/api/canary';
import { canaryEvents, inOrder } from '../support/events';
import { httpRequest } from '../support/http';
import { apply } from '../support/manifests';
import { Scenario } from '../support/scenario';
import { applySeed, seedCanary, seedHost, TEST_INTERVALS } from '../support/seed';
import { stack } from '../support/stack';
import { service } from '../support/workloads';

const ns = 'e2e-ab';
const iterations = 5;
const oldVersion = '6.0.0';
const newVersion = '6.0.3';

/**
 * The seed's A/B edit of the Canary ("remove the max/step weight and add the match conditions and
 * iterations", seed interval 1m shortened to the test interval): its `x-canary: exact insider`
 * header and its `cookie: suffix insider` rule, plus one block each for the prefix and regex
 * matchers (the seed's user-agent example). Match blocks are alternatives.
 */
function abCanary(): Canary {
  const c = seedCanary(TEST_INTERVALS, ns);
  const a = c.spec.analysis;
  delete a.maxWeight;
  delete a.stepWeight;
  a.iterations = iterations;
  a.match = [
    { headers: { 'x-canary': { exact: 'insider' } } },
    { headers: { cookie: { suffix: 'insider' } } },
    { headers: { 'user-agent': { prefix: 'Mobile' } } },
    { headers: { 'x-build': { regex: 'v[0-9]+-beta' } } },
  ];
  a.webhooks = [
    {
      name: 'load-test',
      url: 'http://flagger-loadtester.test/',
      metadata: { cmd: `hey -z 1m -q 5 -c 5 -H 'X-Canary: insider' -host ${seedHost(ns)} http://envoy.projectcontour` },
    },
  ];
  return c;
}

/**
 * An HTTPProxy named like the apex, made by someone before the Canary existed: a label, an
 * annotation, a route of its own to another Service, and websockets enabled on the route Perch takes over.
 */
const existingProxy = {
  apiVersion: 'projectcontour.io/v1',
  kind: 'HTTPProxy',
  metadata: { name: 'podinfo', namespace: ns, labels: { team: 'storefront' }, annotations: { 'example.com/owner': 'storefront' } },
  spec: {
    routes: [
      { conditions: [{ prefix: '/legacy' }], services: [{ name: 'legacy', port: 80 }] },
      { conditions: [{ prefix: '/' }], enableWebsockets: true, services: [{ name: 'podinfo-primary', port: 80 }] },
    ],
  },
} as k8s.KubernetesObject;

/** Who answers a GET / through the simulated Envoy with these headers: podinfo's reported version. */
async function versionFor(headers: Record<string, string>): Promise<string> {
  const reply = await httpRequest(`${stack().envoyListener}/`, { headers: { host: seedHost(ns), ...headers } });
  assert.equal(reply.status, 200, reply.body);
  return (JSON.parse(reply.body) as { version: string }).version;
}

/** The versions answering `count` requests with `headers`, deduplicated. */
async function versionsFor(headers: Record<string, string>, count = 20): Promise<string[]> {
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) seen.add(await versionFor(headers));
  return [...seen].sort();
}

describe('A/B testing with header and cookie match conditions', () => {
  const s = new Scenario(ns);

  before(async () => {
    await s.given(async (sc) => {
      await apply(sc.kc, [service(ns, 'legacy', 'legacy'), existingProxy]);
      await applySeed(sc.kc, ns, abCanary());
    });
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
  });
  after(() => s.tearDown());

  // Which requests reach the canary, per matcher kind: [description, headers, expect canary].
  const cases: [string, Record<string, string>, boolean][] = [
    ['the seed header X-Canary: insider', { 'X-Canary': 'insider' }, true],
    ['an X-Canary value that only starts with insider (exact)', { 'X-Canary': 'insiders' }, false],
    ['the seed cookie canary=insider (suffix)', { Cookie: 'canary=insider' }, true],
    ['a cookie that merely contains insider (suffix)', { Cookie: 'canary=insider; theme=dark' }, false],
    ['a user agent starting with Mobile (prefix)', { 'User-Agent': 'Mobile Safari/604.1' }, true],
    ['a user agent containing Mobile later (prefix)', { 'User-Agent': 'Android Mobile' }, false],
    ['a build matching v[0-9]+-beta in full (regex)', { 'X-Build': 'v12-beta' }, true],
    ['a build that only contains a match (regex)', { 'X-Build': 'v12-beta2' }, false],
    ['no match header at all', {}, false],
  ];

  // One rollout observed step by step: each step goes on from where the last left it.
  it('rolls out a new version by header and cookie matches, then promotes it', async (t) => {
    let since = 0;
    await t.test('routes matching requests to the canary only and the rest to the primary during the analysis', async () => {
      since = await s.whenImageChanges(newVersion);
      await s.thenIteration(1, since);
      const proxy = await s.proxies.get(ns, 'podinfo');
      for (const [what, headers, toCanary] of cases) {
        assert.deepEqual(await versionsFor(headers), [toCanary ? newVersion : oldVersion], `${what}; routes: ${JSON.stringify(proxy.spec.routes)}`);
      }
      const c = await s.canary();
      assert.equal(c.status?.phase, 'Progressing', 'the traffic was observed during the analysis');
      assert.equal(c.status?.canaryWeight, 0, 'A/B testing reports no canary weight, as Flagger does');
    });

    await t.test('advances one iteration per interval and promotes after the last', async () => {
      await s.thenPhase('Succeeded', { since, timeoutMs: 180_000 });
      const id = s.canaryId;
      const problem = inOrder(s.messages(), [
        'New revision detected! Scaling up podinfo.' + ns,
        ...Array.from({ length: iterations }, (_, k) => `Advance ${id} canary iteration ${k + 1}/${iterations}`),
        `Copying podinfo.${ns} template spec to podinfo-primary.${ns}`,
        'Routing all traffic to primary',
        `Promotion completed! Scaling down podinfo.${ns}`,
      ]);
      assert.equal(problem, undefined, problem);
      const iterationEvents = s.messages().filter((e) => e.startsWith(`Advance ${id} canary iteration`));
      assert.equal(iterationEvents.length, iterations, iterationEvents.join('\n'));
      // The same texts are the Canary's Kubernetes Events (their order is only to the second there).
      const described = await canaryEvents(s.kc, ns, 'podinfo');
      for (const text of iterationEvents) assert.ok(described.includes(text), `no Event "${text}"`);
      assert.equal(await s.primaryImage(), `ghcr.io/stefanprodan/podinfo:${newVersion}`);
      // After promotion every request, matching or not, reaches the (promoted) primary.
      for (const [what, headers] of cases) {
        assert.deepEqual(await versionsFor(headers, 5), [newVersion], what);
      }
      const proxy = await s.proxies.get(ns, 'podinfo');
      const managed = (proxy.spec.routes ?? []).filter((r) => r.services?.some((x) => x.name === 'podinfo-canary'));
      for (const r of managed) {
        assert.equal(r.services?.find((x) => x.name === 'podinfo-canary')?.weight ?? 0, 0, `no traffic left on the canary: ${JSON.stringify(r)}`);
      }
    });

    await t.test('keeps what it does not manage on the pre-existing HTTPProxy', async () => {
      const proxy = await s.proxies.get(ns, 'podinfo');
      assert.equal(proxy.metadata.labels?.team, 'storefront');
      assert.equal(proxy.metadata.annotations?.['example.com/owner'], 'storefront');
      const routes = proxy.spec.routes ?? [];
      const legacy = routes.filter((r) => r.services?.some((x) => x.name === 'legacy'));
      assert.deepEqual(legacy, [{ conditions: [{ prefix: '/legacy' }], services: [{ name: 'legacy', port: 80 }] }], JSON.stringify(routes));
      // The route the user wrote for `/` is the A/B default route now; it still carries their setting.
      const fallback = routes.find((r) => JSON.stringify(r.conditions) === JSON.stringify([{ prefix: '/' }]));
      assert.ok(fallback, JSON.stringify(routes));
      assert.equal((fallback as { enableWebsockets?: boolean }).enableWebsockets, true, JSON.stringify(routes));
      assert.equal(await s.proxies.status(ns, 'podinfo'), 'valid');
    });
  });
});
