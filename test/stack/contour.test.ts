// HTTPProxy status comes from a real Contour: invalid while a Service is missing, valid once it
// exists, orphaned until a root includes it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { HTTPProxies } from '../support/httpproxies';
import { createNamespace, deleteNamespace } from '../support/namespace';
import { eventually, kubeConfig } from '../support/stack';
import { service } from '../support/workloads';

describe('Contour HTTPProxy status', () => {
  const kc = kubeConfig();
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const proxies = new HTTPProxies(kc);
  let ns = '';

  before(async () => {
    ns = await createNamespace(kc, 'stack-contour');
  });
  after(async () => {
    await deleteNamespace(kc, ns);
  });

  const statusIs = (name: string, want: string) => async () => ((await proxies.status(ns, name)) === want ? true : undefined);

  it('reports invalid for a missing Service, then valid, orphaned and included', async () => {
    const fqdn = `${ns}.example.com`;
    const route = { conditions: [{ prefix: '/' }], services: [{ name: 'web', port: 80 }] };
    await proxies.create({ metadata: { name: 'root', namespace: ns }, spec: { virtualhost: { fqdn }, routes: [route] } });
    await eventually('root invalid', 30_000, statusIs('root', 'invalid'));
    const errors = (await proxies.get(ns, 'root')).status?.conditions?.flatMap((c) => c.errors ?? []) ?? [];
    assert.ok(
      errors.some((e) => /web.*not found/i.test(e.message)),
      JSON.stringify(errors),
    );

    await core.createNamespacedService({ namespace: ns, body: service(ns, 'web', 'web') });
    await eventually('root valid once the Service exists', 30_000, statusIs('root', 'valid'));

    await proxies.create({ metadata: { name: 'child', namespace: ns }, spec: { routes: [route] } });
    await eventually('child orphaned', 30_000, statusIs('child', 'orphaned'));

    await proxies.setSpec(ns, 'root', {
      virtualhost: { fqdn },
      includes: [{ name: 'child', namespace: ns, conditions: [{ prefix: '/' }] }],
      routes: [],
    });
    await eventually('child valid once included', 30_000, statusIs('child', 'valid'));
  });
});
