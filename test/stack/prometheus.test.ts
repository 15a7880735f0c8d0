// Prometheus scrapes the simulator's Envoy statistics, and Flagger's own Contour queries (§6 of the
// behaviour reference) give the success rate and P99 latency of the traffic actually sent.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { builtinQuery } from '../../src/rollout/builtin-metrics';
import { httpRequest, inParallel } from '../support/http';
import { createNamespace, deleteNamespace } from '../support/namespace';
import { deployPodinfoPair, type PodinfoPair, weighted } from '../support/podinfo-pair';
import { eventually, kubeConfig, promQuery, stack } from '../support/stack';

describe('Prometheus over the simulated Envoy metrics', () => {
  const kc = kubeConfig();
  let pair: PodinfoPair;

  before(async () => {
    const ns = await createNamespace(kc, 'stack-prom');
    pair = await deployPodinfoPair(kc, ns, [weighted(0, 100)]);
  });
  after(async () => {
    await deleteNamespace(kc, pair.namespace);
  });

  it('answers the Contour success-rate and duration queries from the traffic sent', async () => {
    // Prometheus takes a counter's first sample as its base, so both series must exist before the
    // burst for rate() to count all of it (as with a real Envoy under steady load).
    const send = (p: string) => httpRequest(`${stack().envoyListener}${p}`, { headers: { host: pair.fqdn } });
    await send('/status/500');
    await send('/');
    const total = `sum(envoy_cluster_upstream_rq{envoy_cluster_name="${pair.namespace}_podinfo-canary_80"})`;
    // 2 plus the request that saw the route ready; then one more scrape so both have a base sample.
    await eventually('Prometheus to scrape the first requests', 30_000, async () => ((await promQuery(total)) === 3 ? true : undefined));
    const samples = `min(count_over_time(envoy_cluster_upstream_rq{envoy_cluster_name="${pair.namespace}_podinfo-canary_80"}[1m]))`;
    await eventually('a second scrape of both series', 30_000, async () => (((await promQuery(samples)) ?? 0) >= 2 ? true : undefined));

    // 400 canary requests: every 10th is /status/500, every 20th (offset) is /delay/1, the rest fast.
    const path = (i: number) => (i % 10 === 0 ? '/status/500' : i % 20 === 5 ? '/delay/1' : '/');
    const replies = await inParallel(400, 20, (i) => send(path(i)));
    assert.equal(replies.filter((r) => r.status === 500).length, 40);

    const ctx = { namespace: pair.namespace, service: 'podinfo', interval: '1m' };
    await eventually('Prometheus to scrape all 403 requests', 30_000, async () => ((await promQuery(total)) === 403 ? true : undefined));

    const successRate = await promQuery(builtinQuery('request-success-rate', ctx));
    assert.ok(successRate !== undefined && Math.abs(successRate - 90) <= 2, `success rate ${successRate}`);

    // 20 of 400 took about 1 s: the 99th percentile lies in Envoy's (1000, 2500] ms bucket.
    const p99 = await promQuery(builtinQuery('request-duration', ctx));
    assert.ok(p99 !== undefined && p99 > 1000 && p99 <= 2500, `P99 ${p99} ms`);
  });

  it('has no value for a canary that received no traffic', async () => {
    const none = await promQuery(builtinQuery('request-success-rate', { namespace: 'no-such-ns', service: 'podinfo', interval: '1m' }));
    assert.equal(none, undefined);
  });
});
