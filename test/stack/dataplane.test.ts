// The data-plane simulator routes by the real HTTPProxy objects: weights split traffic as Envoy
// would, header conditions pin requests to their route's service.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { httpRequest, inParallel } from '../support/http';
import { createNamespace, deleteNamespace } from '../support/namespace';
import { deployPodinfoPair, type PodinfoPair, weighted } from '../support/podinfo-pair';
import { kubeConfig, stack } from '../support/stack';

describe('data-plane simulator routing', () => {
  const kc = kubeConfig();
  let pair: PodinfoPair;

  before(async () => {
    const ns = await createNamespace(kc, 'stack-route');
    pair = await deployPodinfoPair(kc, ns, [
      weighted(90, 10),
      { conditions: [{ prefix: '/' }, { header: { name: 'x-canary', exact: 'insider' } }], services: [{ name: 'podinfo-canary', port: 80 }] },
    ]);
  });
  after(async () => {
    await deleteNamespace(kc, pair.namespace);
  });

  const servedBy = async (headers: Record<string, string>) => {
    const reply = await httpRequest(`${stack().envoyListener}/`, { headers: { host: pair.fqdn, ...headers } });
    assert.equal(reply.status, 200, reply.body);
    return JSON.parse(reply.body) as { hostname: string; version: string };
  };

  it('puts 10% ± 3 points of 2,000 requests on the canary at weights 90/10', async () => {
    const replies = await inParallel(2000, 16, () => servedBy({}));
    const canary = replies.filter((r) => r.hostname.startsWith('podinfo-canary-')).length;
    assert.equal(replies.filter((r) => r.hostname.startsWith('podinfo-primary-')).length + canary, 2000);
    const share = (canary / 2000) * 100;
    assert.ok(Math.abs(share - 10) <= 3, `canary share ${share.toFixed(1)}%`);
    assert.ok(replies.every((r) => r.version === (r.hostname.startsWith('podinfo-canary-') ? '6.0.1' : '6.0.0')));
  });

  it('always sends a request matching the header condition to that route', async () => {
    const replies = await inParallel(200, 16, () => servedBy({ 'X-Canary': 'insider' }));
    assert.ok(replies.every((r) => r.hostname.startsWith('podinfo-canary-')));
  });

  it('answers 404 for an unknown virtual host', async () => {
    const reply = await httpRequest(`${stack().envoyListener}/`, { headers: { host: 'nowhere.example.com' } });
    assert.equal(reply.status, 404);
  });
});
