// Canary routing fields Flagger's Contour router ignores, end to end: a provider Perch cannot route
// by and a headless Service are refused on the Canary (condition and Event naming the field), a
// traffic distribution reaches the three Services, and session affinity runs a whole rollout: while
// the canary has weight its cookie keeps requests on it (through the simulated Envoy, with the
// HTTPProxy Contour accepted), and after promotion the cookie's bearers are released to the
// primary, which deletes it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import { type Canary } from '../../src/api/canary';
import { type HTTPProxy } from '../../src/api/httpproxy';
import { httpRequest } from '../support/http';
import { apply } from '../support/manifests';
import { Scenario } from '../support/scenario';
import { applySeed, seedCanary, seedHost, TEST_INTERVALS } from '../support/seed';
import { eventually, stack } from '../support/stack';
import { deployment } from '../support/workloads';

const ns = 'e2e-routing';
const oldVersion = '6.0.0';
const newVersion = '6.0.1';

/** The seed's Canary with session affinity and a traffic distribution, as a user adds them to the seed. */
function stickyCanary(): Canary {
  const c = seedCanary(TEST_INTERVALS, ns);
  c.spec.analysis.sessionAffinity = { cookieName: 'flagger-cookie', maxAge: 600 };
  c.spec.service = { ...c.spec.service, port: 80, trafficDistribution: 'PreferClose' };
  return c;
}

/** A Canary the seed's way on its own Deployment, edited by `edit`. */
function other(name: string, edit: (c: Canary) => void): k8s.KubernetesObject[] {
  const c = seedCanary(TEST_INTERVALS, ns);
  c.metadata.name = name;
  c.spec.targetRef.name = name;
  delete c.spec.autoscalerRef;
  edit(c);
  return [deployment(ns, name, `ghcr.io/stefanprodan/podinfo:${oldVersion}`, 1), c as unknown as k8s.KubernetesObject];
}

async function versionFor(headers: Record<string, string>): Promise<string | undefined> {
  const reply = await httpRequest(`${stack().envoyListener}/`, { headers: { host: seedHost(ns), ...headers } });
  return reply.status === 200 ? (JSON.parse(reply.body) as { version: string }).version : undefined;
}

const cookieRoutes = (p: HTTPProxy) => (p.spec.routes ?? []).filter((r) => r.conditions?.some((c) => c.header?.name === 'Cookie'));

describe('routing fields on the real stack', () => {
  const s = new Scenario(ns);

  before(async () => {
    await s.given(async (sc) => {
      await applySeed(sc.kc, ns, stickyCanary());
      await apply(sc.kc, [
        ...other('gateway', (c) => {
          c.spec.provider = 'gatewayapi:v1';
        }),
        ...other('nginx', (c) => {
          c.spec.provider = 'nginx';
        }),
        ...other('headless', (c) => {
          c.spec.service = { ...c.spec.service, port: 80, headless: true };
        }),
      ]);
    });
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
  });
  after(() => s.tearDown());

  const refused = (name: string, pattern: RegExp) => async () => {
    await s.thenInvalid(name, pattern);
    const proxy = await s.proxies.get(ns, name).catch(() => undefined);
    assert.equal(proxy, undefined, 'no HTTPProxy is written for a refused Canary');
  };

  it(
    'refuses a gatewayapi:v1 Canary, naming spec.provider and its value',
    refused('gateway', /spec\.provider gatewayapi:v1 is not supported: Perch routes traffic with Contour's HTTPProxy only/),
  );
  it(
    'refuses an nginx Canary, naming spec.provider and its value',
    refused('nginx', /spec\.provider nginx is not supported: Perch routes traffic with Contour's HTTPProxy only/),
  );
  it('refuses a headless Service, naming spec.service.headless', refused('headless', /spec\.service\.headless is not supported/));

  it('writes service.trafficDistribution to the three Services', async () => {
    for (const name of ['podinfo', 'podinfo-primary', 'podinfo-canary']) {
      const svc = await s.core.readNamespacedService({ name, namespace: ns });
      assert.equal(svc.spec?.trafficDistribution, 'PreferClose', name);
    }
  });

  let cookie = '';

  it('keeps requests carrying the canary cookie on the canary while it has weight, in a proxy Contour accepts', async () => {
    const since = await s.whenImageChanges(newVersion);
    await s.thenWeight(10, since);
    const proxy = await s.proxies.get(ns, 'podinfo');
    const canaryService = proxy.spec.routes?.[0]?.services?.find((x) => x.name === 'podinfo-canary');
    const setCookie = canaryService?.responseHeadersPolicy?.set?.find((h) => h.name === 'Set-Cookie')?.value ?? '';
    assert.match(setCookie, /^flagger-cookie=[\w-]+; Max-Age=600$/, JSON.stringify(proxy.spec.routes));
    cookie = setCookie.split(';')[0] ?? '';
    assert.deepEqual(
      cookieRoutes(proxy).map((r) => r.services?.map((x) => [x.name, x.weight ?? 0])),
      [
        [
          ['podinfo-primary', 0],
          ['podinfo-canary', 100],
        ],
      ],
    );
    await eventually('Contour accepts the proxy', 30_000, async () => ((await s.proxies.status(ns, 'podinfo')) === 'valid' ? true : undefined));

    // The simulated Envoy routes by the cookie route; it does not add response headers, so the
    // cookie is sent as a browser sends it after the canary's first answer.
    const pinned = new Set<string | undefined>();
    for (let i = 0; i < 20; i++) pinned.add(await versionFor({ cookie: `theme=dark; ${cookie}` }));
    assert.deepEqual([...pinned], [newVersion]);
    const c = await s.canary();
    assert.equal(c.status?.phase, 'Progressing', 'observed during the analysis');
    assert.ok((c.status?.canaryWeight ?? 0) < 100);
  });

  it('keeps one cookie for the whole rollout, and after promotion releases its bearers to the primary, which deletes it', async () => {
    await s.thenPhase('Succeeded', { timeoutMs: 300_000 });
    const proxy = await s.proxies.get(ns, 'podinfo');
    const [release] = cookieRoutes(proxy);
    assert.equal(cookieRoutes(proxy).length, 1);
    assert.deepEqual(
      release?.services?.map((x) => [x.name, x.weight ?? 0]),
      [
        ['podinfo-primary', 100],
        ['podinfo-canary', 0],
      ],
    );
    assert.deepEqual(release?.responseHeadersPolicy, { set: [{ name: 'Set-Cookie', value: `${cookie}; Max-Age=0` }] }, 'the same cookie throughout');
    assert.equal(
      proxy.spec.routes?.[0]?.services?.some((x) => x.responseHeadersPolicy !== undefined && x.name === 'podinfo-canary'),
      false,
    );
    await eventually('Contour accepts the proxy', 30_000, async () => ((await s.proxies.status(ns, 'podinfo')) === 'valid' ? true : undefined));
    assert.equal(await versionFor({ cookie }), newVersion, 'the promoted primary answers the old cookie');
  });
});
