import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EnvoyStats } from './envoy-stats';

describe('EnvoyStats', () => {
  it('exposes Envoy counter and histogram names with Contour cluster names', () => {
    const stats = new EnvoyStats();
    const cluster = EnvoyStats.clusterName('test', 'podinfo-canary', 80);
    stats.record(cluster, 200, 3);
    stats.record(cluster, 500, 700);
    const text = stats.render();
    assert.match(text, /^envoy_cluster_upstream_rq\{envoy_response_code="200",envoy_cluster_name="test_podinfo-canary_80"\} 1$/m);
    assert.match(text, /^envoy_cluster_upstream_rq_xx\{envoy_response_code_class="5",envoy_cluster_name="test_podinfo-canary_80"\} 1$/m);
    assert.match(text, /^envoy_cluster_upstream_rq_time_bucket\{envoy_cluster_name="test_podinfo-canary_80",le="5"\} 1$/m);
    assert.match(text, /^envoy_cluster_upstream_rq_time_bucket\{envoy_cluster_name="test_podinfo-canary_80",le="1000"\} 2$/m);
    assert.match(text, /^envoy_cluster_upstream_rq_time_bucket\{envoy_cluster_name="test_podinfo-canary_80",le="\+Inf"\} 2$/m);
  });
});
