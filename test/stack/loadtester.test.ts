// Flagger's load tester runs the seed's webhook commands unchanged: curl and hey reach in-cluster
// names through the simulator's forward proxy (the documented mapping).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { httpRequest } from '../support/http';
import { createNamespace, deleteNamespace } from '../support/namespace';
import { deployPodinfoPair, type PodinfoPair, weighted } from '../support/podinfo-pair';
import { eventually, kubeConfig, promQuery, stack } from '../support/stack';

describe("Flagger's load tester", () => {
  const kc = kubeConfig();
  let pair: PodinfoPair;

  before(async () => {
    const ns = await createNamespace(kc, 'stack-lt');
    pair = await deployPodinfoPair(kc, ns, [weighted(50, 50)]);
  });
  after(async () => {
    await deleteNamespace(kc, pair.namespace);
  });

  const hook = (metadata: Record<string, string>) =>
    httpRequest(`${stack().loadtester}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'podinfo', namespace: pair.namespace, phase: 'Progressing', metadata }),
    });

  it("passes the seed's acceptance test against the canary Service", async () => {
    const reply = await hook({ type: 'bash', cmd: `curl -sd 'test' http://podinfo-canary.${pair.namespace}/token | grep token` });
    assert.equal(reply.status, 200, reply.body);
  });

  it('fails a bash hook whose command fails', async () => {
    const reply = await hook({ type: 'bash', cmd: `curl -sf http://podinfo-canary.${pair.namespace}/status/500` });
    assert.equal(reply.status, 500);
  });

  it("runs the seed's hey load test through envoy.projectcontour with the Host header", async () => {
    const reply = await hook({ cmd: `hey -z 3s -q 10 -c 2 -host ${pair.fqdn} http://envoy.projectcontour` });
    assert.equal(reply.status, 202, reply.body);
    const query = `sum(envoy_cluster_upstream_rq{envoy_cluster_name=~"${pair.namespace}_podinfo-.*"})`;
    await eventually('hey traffic in Envoy stats', 30_000, async () => (((await promQuery(query)) ?? 0) >= 20 ? true : undefined));
  });
});
