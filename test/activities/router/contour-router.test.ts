// reconcileRouter / setWeights / getWeights against the real API server and Contour: the exact
// HTTPProxy Flagger writes, Contour's verdict on it, weights the data plane routes by, and the
// fields of a user's proxy that Flagger clobbers but Perch keeps.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { ApplicationFailure } from '@temporalio/common';
import { type Canary } from '../../../src/api/canary';
import { canarySettings } from '../../../src/api/defaults';
import { type HTTPProxy } from '../../../src/api/httpproxy';
import { httpRequest, inParallel } from '../../support/http';
import { HTTPProxies } from '../../support/httpproxies';
import { simulatorSeesEndpoints } from '../../support/podinfo-pair';
import { createNamespace, deleteNamespace } from '../../support/namespace';
import { eventually, kubeConfig, stack } from '../../support/stack';
import { deployment, isAvailable, service } from '../../support/workloads';
import { applyCrds, createCanary } from '../status/canary-fixture';
import { stackActivities } from '../stack-activities';

const { getWeights, reconcileRouter, setWeights } = stackActivities({ ingressClass: 'contour' });

describe('Contour router activities', () => {
  const kc = kubeConfig();
  const proxies = new HTTPProxies(kc);
  let ns = '';
  let canary: Canary;

  const settings = (edit: (c: Canary) => void = () => undefined) => {
    const c = structuredClone(canary);
    edit(c);
    return canarySettings(c);
  };
  const uid = () => canary.metadata.uid ?? '';
  const header = (name: string) => ({ set: [{ name: 'l5d-dst-override', value: `${name}.${ns}.svc.cluster.local:80` }] });

  before(async () => {
    applyCrds();
    ns = await createNamespace(kc, 'act-router');
    canary = await createCanary(kc, ns);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (const [name, version] of [
      ['podinfo-primary', '6.0.0'],
      ['podinfo-canary', '6.0.1'],
    ] as const) {
      await apps.createNamespacedDeployment({ namespace: ns, body: deployment(ns, name, `ghcr.io/stefanprodan/podinfo:${version}`, 1) });
      await core.createNamespacedService({ namespace: ns, body: service(ns, name, name) });
    }
    for (const name of ['podinfo-primary', 'podinfo-canary']) {
      await eventually(`${name} available`, 60_000, () => isAvailable(apps, ns, name, 1));
    }
    await simulatorSeesEndpoints(ns, ['podinfo-primary', 'podinfo-canary']);
  });
  after(async () => {
    await deleteNamespace(kc, ns);
  });

  it('creates the HTTPProxy exactly as Flagger does, owned by the Canary', async () => {
    await reconcileRouter({ settings: settings(), canaryUid: uid() });
    const proxy = await proxies.get(ns, 'podinfo');
    assert.deepEqual(proxy.spec, {
      ingressClassName: 'contour',
      routes: [
        {
          conditions: [{ prefix: '/' }],
          timeoutPolicy: { response: '15s', idle: '5m' },
          retryPolicy: { count: 3, perTryTimeout: '5s' },
          services: [
            { name: 'podinfo-primary', port: 80, weight: 100, requestHeadersPolicy: header('podinfo-primary') },
            { name: 'podinfo-canary', port: 80, requestHeadersPolicy: header('podinfo-canary') },
          ],
        },
      ],
    });
    assert.deepEqual(proxy.metadata.ownerReferences, [
      { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: 'podinfo', uid: uid(), controller: true, blockOwnerDeletion: true },
    ]);
    assert.equal(proxy.metadata.annotations?.['kustomize.toolkit.fluxcd.io/reconcile'], 'disabled');
    assert.deepEqual(await getWeights({ settings: settings() }), { primary: 100, canary: 0 });
  });

  it('is orphaned for Contour until a root proxy includes it, then valid', async () => {
    await eventually('podinfo orphaned', 30_000, async () => ((await proxies.status(ns, 'podinfo')) === 'orphaned' ? true : undefined));
    await proxies.create({
      metadata: { name: 'podinfo-ingress', namespace: ns },
      spec: {
        virtualhost: { fqdn: `app.${ns}.example.com` },
        ingressClassName: 'contour',
        includes: [{ name: 'podinfo', namespace: ns, conditions: [{ prefix: '/' }] }],
      },
    });
    await eventually('podinfo valid', 30_000, async () => ((await proxies.status(ns, 'podinfo')) === 'valid' ? true : undefined));
  });

  it('sets 90/10, reads it back, routes by it, and writes nothing when asked again', async () => {
    await setWeights({ settings: settings(), primary: 90, canary: 10 });
    assert.deepEqual(await getWeights({ settings: settings() }), { primary: 90, canary: 10 });
    const before = await proxies.get(ns, 'podinfo');
    assert.deepEqual(
      before.spec.routes?.[0]?.services?.map((s) => s.weight),
      [90, 10],
    );
    await setWeights({ settings: settings(), primary: 90, canary: 10 });
    await reconcileRouter({ settings: settings(), canaryUid: uid() });
    // Contour's status writes move resourceVersion; generation and metadata move only with ours.
    const again = await proxies.get(ns, 'podinfo');
    const generation = (p: HTTPProxy) => (p.metadata as { generation?: number }).generation;
    assert.equal(generation(again), generation(before));
    assert.deepEqual(again.metadata.annotations, before.metadata.annotations);

    const fqdn = `app.${ns}.example.com`;
    await eventually('the simulator routes the new proxy', 30_000, async () =>
      (await httpRequest(`${stack().envoyListener}/`, { headers: { host: fqdn } })).status === 200 ? true : undefined,
    );
    const replies = await inParallel(
      1000,
      16,
      async () => JSON.parse((await httpRequest(`${stack().envoyListener}/`, { headers: { host: fqdn } })).body) as { version: string },
    );
    const share = (replies.filter((r) => r.version === '6.0.1').length / replies.length) * 100;
    assert.ok(Math.abs(share - 10) <= 4, `canary share ${share.toFixed(1)}%`);
  });

  it("keeps the live weights and a user's extra fields when the Canary's settings change", async () => {
    const live = await proxies.get(ns, 'podinfo');
    const route = live.spec.routes?.[0] as Record<string, unknown>;
    const services = (route.services as Record<string, unknown>[]).map((s, i) =>
      i === 0 ? { ...s, responseHeadersPolicy: { set: [{ name: 'x-served-by', value: 'primary' }] } } : s,
    );
    const edited = { ...live.spec, routes: [{ ...route, enableWebsockets: true, services }] } as unknown as HTTPProxy['spec'];
    await proxies.setSpec(ns, 'podinfo', edited);
    await patchAnnotations(kc, ns, 'podinfo', { team: 'payments' });

    await reconcileRouter({
      settings: settings((c) => {
        if (c.spec.service) c.spec.service.timeout = '30s';
      }),
      canaryUid: uid(),
    });
    const after = await proxies.get(ns, 'podinfo');
    const r = after.spec.routes?.[0] as Record<string, unknown> & HTTPProxy['spec'];
    assert.equal(r.enableWebsockets, true);
    assert.deepEqual(after.spec.routes?.[0]?.timeoutPolicy, { response: '30s', idle: '5m' });
    assert.deepEqual(
      after.spec.routes?.[0]?.services?.map((s) => s.weight),
      [90, 10],
    );
    assert.deepEqual(after.spec.routes?.[0]?.services?.[0]?.responseHeadersPolicy, { set: [{ name: 'x-served-by', value: 'primary' }] });
    assert.equal(after.metadata.annotations?.team, 'payments');
    assert.deepEqual(await getWeights({ settings: settings() }), { primary: 90, canary: 10 });
  });

  it("adopts a user's proxy without losing its virtualhost, TLS or route options, and without owning it", async () => {
    const fqdn = `web.${ns}.example.com`;
    await proxies.create({
      metadata: { name: 'web', namespace: ns },
      spec: {
        virtualhost: { fqdn, tls: { secretName: 'web-tls' } },
        routes: [
          { conditions: [{ prefix: '/' }], services: [{ name: 'web', port: 80 }], enableWebsockets: true },
          { conditions: [{ prefix: '/static' }], services: [{ name: 'cdn', port: 80 }] },
        ],
      } as HTTPProxy['spec'],
    });
    const web = settings((c) => {
      c.spec.targetRef.name = 'web';
      c.spec.service = { port: 80 };
    });
    await reconcileRouter({ settings: web, canaryUid: uid() });
    const proxy = await proxies.get(ns, 'web');
    assert.deepEqual(proxy.spec.virtualhost, { fqdn, tls: { secretName: 'web-tls' } });
    assert.equal(proxy.metadata.ownerReferences, undefined);
    const [main, statics] = proxy.spec.routes ?? [];
    assert.equal((main as Record<string, unknown>).enableWebsockets, true);
    assert.deepEqual(
      main?.services?.map((s) => [s.name, s.weight]),
      [
        ['web-primary', 100],
        ['web-canary', undefined],
      ],
    );
    assert.deepEqual(statics, { conditions: [{ prefix: '/static' }], services: [{ name: 'cdn', port: 80 }] });
  });

  it('builds A/B header routes ahead of a default route; weights move only the header route', async () => {
    const ab = settings((c) => {
      c.spec.service = { name: 'ab', port: 80 };
      c.spec.analysis = {
        interval: '30s',
        threshold: 5,
        iterations: 5,
        match: [{ headers: { 'x-canary': { exact: 'insider' }, 'user-agent': { prefix: 'Mozilla/5' } } }],
      };
    });
    await reconcileRouter({ settings: ab, canaryUid: uid() });
    await setWeights({ settings: ab, primary: 0, canary: 100 });
    const routes = (await proxies.get(ns, 'ab')).spec.routes ?? [];
    assert.deepEqual(
      routes.map((r) => r.conditions),
      [
        [{ prefix: '/', header: { name: 'user-agent', regex: 'Mozilla/5.*' } }, { header: { name: 'x-canary', exact: 'insider' } }],
        [{ prefix: '/' }],
      ],
    );
    assert.deepEqual(
      routes.map((r) => r.services?.map((s) => s.weight)),
      [
        [undefined, 100],
        [100, undefined],
      ],
    );
    assert.deepEqual(await getWeights({ settings: ab }), { primary: 0, canary: 100 });

    // Contour accepts the shape, and requests route by it: both headers → canary, else primary.
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (const name of ['ab-primary', 'ab-canary']) {
      await core.createNamespacedService({ namespace: ns, body: service(ns, name, name.replace(/^ab/, 'podinfo')) });
    }
    await simulatorSeesEndpoints(ns, ['ab-primary', 'ab-canary']);
    const fqdn = `ab.${ns}.example.com`;
    await proxies.create({
      metadata: { name: 'ab-ingress', namespace: ns },
      spec: { virtualhost: { fqdn }, includes: [{ name: 'ab', namespace: ns, conditions: [{ prefix: '/' }] }] },
    });
    await eventually('ab valid', 30_000, async () => ((await proxies.status(ns, 'ab')) === 'valid' ? true : undefined));
    const version = async (headers: Record<string, string>) => {
      const reply = await httpRequest(`${stack().envoyListener}/`, { headers: { host: fqdn, ...headers } });
      return reply.status === 200 ? (JSON.parse(reply.body) as { version: string }).version : undefined;
    };
    await eventually('the simulator routes ab', 30_000, () => version({}));
    const insider = { 'x-canary': 'insider', 'user-agent': 'Mozilla/5.0 (X11)' };
    assert.deepEqual(await Promise.all([version(insider), version({ 'x-canary': 'insider' }), version({})]), ['6.0.1', '6.0.0', '6.0.0']);
  });

  /** Services `<name>-primary` / `<name>-canary` over the podinfo pods, and a root proxy including `<name>`. */
  const exposed = async (name: string): Promise<string> => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (const side of ['primary', 'canary']) {
      await core.createNamespacedService({ namespace: ns, body: service(ns, `${name}-${side}`, `podinfo-${side}`) });
    }
    await simulatorSeesEndpoints(ns, [`${name}-primary`, `${name}-canary`]);
    const fqdn = `${name}.${ns}.example.com`;
    await proxies.create({
      metadata: { name: `${name}-ingress`, namespace: ns },
      spec: { virtualhost: { fqdn }, ingressClassName: 'contour', includes: [{ name, namespace: ns, conditions: [{ prefix: '/' }] }] },
    });
    return fqdn;
  };
  const valid = (name: string) =>
    eventually(`${name} valid`, 30_000, async () => {
      const p = await proxies.get(ns, name);
      const status = p.status as { currentStatus?: string; description?: string } | undefined;
      return status?.currentStatus === 'valid' ? true : undefined;
    });

  it('writes a mirror Contour accepts, with mirrorWeight as its weight, and removes it at the first step', async () => {
    const mirrored = settings((c) => {
      c.spec.service = { name: 'mirrored', port: 80 };
      c.spec.analysis = { ...c.spec.analysis, mirror: true, mirrorWeight: 25 };
    });
    await reconcileRouter({ settings: mirrored, canaryUid: uid() });
    await exposed('mirrored');
    await setWeights({ settings: mirrored, primary: 100, canary: 0, mirror: true });
    const route = (await proxies.get(ns, 'mirrored')).spec.routes?.[0];
    assert.deepEqual(
      route?.services?.map((s) => [s.name, s.weight, s.mirror]),
      [
        ['mirrored-primary', 100, undefined],
        ['mirrored-canary', 25, true],
      ],
    );
    await valid('mirrored');
    assert.deepEqual(await getWeights({ settings: mirrored }), { primary: 100, canary: 0, mirror: true });
    await setWeights({ settings: mirrored, primary: 95, canary: 5 });
    assert.deepEqual(await getWeights({ settings: mirrored }), { primary: 95, canary: 5 });
    await valid('mirrored');
  });

  it('writes A/B query-parameter conditions Contour accepts', async () => {
    const qp = settings((c) => {
      c.spec.service = { name: 'qp', port: 80 };
      c.spec.analysis = { interval: '30s', threshold: 5, iterations: 5, match: [{ queryParams: { variant: { exact: 'b' } } }] };
    });
    await reconcileRouter({ settings: qp, canaryUid: uid() });
    await exposed('qp');
    await setWeights({ settings: qp, primary: 0, canary: 100 });
    const routes = (await proxies.get(ns, 'qp')).spec.routes ?? [];
    assert.deepEqual(
      routes.map((r) => r.conditions),
      [[{ prefix: '/' }, { queryParameter: { name: 'variant', exact: 'b' } }], [{ prefix: '/' }]],
    );
    // Contour's verdict only: the data-plane simulator matches paths and headers, not query parameters.
    await valid('qp');
  });

  it('keeps session-affinity cookie bearers on the canary in a proxy Contour accepts, and releases them after', async () => {
    const sticky = settings((c) => {
      c.spec.service = { name: 'sticky', port: 80 };
      c.spec.analysis = { ...c.spec.analysis, sessionAffinity: { cookieName: 'flagger-cookie', maxAge: 120 } };
    });
    await reconcileRouter({ settings: sticky, canaryUid: uid() });
    const fqdn = await exposed('sticky');
    await setWeights({ settings: sticky, primary: 90, canary: 10 });
    const [weighted, cookieRoute] = (await proxies.get(ns, 'sticky')).spec.routes ?? [];
    const setCookie = weighted?.services?.[1]?.responseHeadersPolicy?.set?.find((h) => h.name === 'Set-Cookie')?.value ?? '';
    assert.match(setCookie, /^flagger-cookie=[\w-]+; Max-Age=120$/);
    const cookie = setCookie.split(';')[0] ?? '';
    assert.deepEqual(
      cookieRoute?.services?.map((s) => s.weight),
      [undefined, 100],
    );
    await valid('sticky');

    const version = async (headers: Record<string, string>) => {
      const reply = await httpRequest(`${stack().envoyListener}/`, { headers: { host: fqdn, ...headers } });
      return reply.status === 200 ? (JSON.parse(reply.body) as { version: string }).version : undefined;
    };
    await eventually('the simulator routes sticky', 30_000, () => version({}));
    // The data-plane simulator does not add response headers, so the cookie is sent as a browser
    // would after the canary's first answer.
    const withCookie = await Promise.all(Array.from({ length: 20 }, () => version({ cookie: `session=1; ${cookie}` })));
    assert.deepEqual(new Set(withCookie), new Set(['6.0.1']), 'every request with the cookie reaches the canary');

    await setWeights({ settings: sticky, primary: 100, canary: 0 });
    const after = (await proxies.get(ns, 'sticky')).spec.routes ?? [];
    assert.deepEqual(
      after[1]?.services?.map((s) => s.weight),
      [100, undefined],
    );
    assert.deepEqual(after[1]?.responseHeadersPolicy, { set: [{ name: 'Set-Cookie', value: `${cookie}; Max-Age=0` }] });
    await valid('sticky');
    await eventually('cookie bearers back on the primary', 30_000, async () => ((await version({ cookie })) === '6.0.0' ? true : undefined));
  });

  it('rejects 0/0 without retry, as Flagger does', async () => {
    await assert.rejects(
      setWeights({ settings: settings(), primary: 0, canary: 0 }),
      (err: unknown) =>
        err instanceof ApplicationFailure && err.nonRetryable && /HTTPProxy podinfo\..* update failed: no valid weights/.test(err.message),
    );
  });

  it('fails without retry once the HTTPProxy is gone, as after its Canary was deleted', async () => {
    const gone = settings((c) => {
      c.spec.service = { name: 'collected', port: 80 };
    });
    await reconcileRouter({ settings: gone, canaryUid: uid() });
    await kc
      .makeApiClient(k8s.CustomObjectsApi)
      .deleteNamespacedCustomObject({ group: 'projectcontour.io', version: 'v1', plural: 'httpproxies', namespace: ns, name: 'collected' });
    // One call at a time: a second call started with the first would reject before it is awaited.
    for (const call of [() => setWeights({ settings: gone, primary: 90, canary: 10 }), () => getWeights({ settings: gone })]) {
      await assert.rejects(
        call,
        (err: unknown) =>
          err instanceof ApplicationFailure &&
          err.nonRetryable &&
          err.type === 'RouterNotFound' &&
          err.message.startsWith(`HTTPProxy collected.${ns} `) &&
          err.message.endsWith('error: not found'),
      );
    }
  });

  it('refuses, naming it, a provider Perch cannot route by', async () => {
    const nginx = settings((c) => {
      c.spec.provider = 'nginx';
    });
    await assert.rejects(
      reconcileRouter({ settings: nginx, canaryUid: uid() }),
      (err: unknown) =>
        err instanceof ApplicationFailure &&
        err.nonRetryable &&
        err.type === 'InvalidCanary' &&
        err.message === 'spec.provider nginx is not supported: Perch routes traffic with contour only',
    );
  });
});

async function patchAnnotations(kc: k8s.KubeConfig, namespace: string, name: string, annotations: Record<string, string>): Promise<void> {
  await kc
    .makeApiClient(k8s.CustomObjectsApi)
    .patchNamespacedCustomObject(
      { group: 'projectcontour.io', version: 'v1', plural: 'httpproxies', namespace, name, body: { metadata: { annotations } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
}
