// The demo's seed helper (src/demo/seed.ts): the manifests it prints for `kubectl apply`, the host
// it names for the error traffic, and its answers to bad input. No servers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { type Canary } from '../../src/api/canary';
import { run } from '../../src/demo/seed';

function objects(yaml: string): k8s.KubernetesObject[] {
  return k8s.loadAllYaml(yaml) as k8s.KubernetesObject[];
}

/** The webhooks' commands and URLs as the Canary carries them (the YAML may fold long lines). */
function hooks(yaml: string): string[] {
  return (canaryOf(yaml).spec.analysis.webhooks ?? []).map((w) => `${w.url} ${String(w.metadata?.cmd)}`);
}

function canaryOf(yaml: string): Canary {
  const c = objects(yaml).find((o) => o.kind === 'Canary');
  assert.ok(c, 'a Canary among the manifests');
  return c as unknown as Canary;
}

describe('demo seed helper', () => {
  it('prints the seed in apply order, in the seed namespace with the seed intervals', () => {
    const yaml = run(['manifests', 'test']);
    assert.deepEqual(
      objects(yaml).map((o) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`),
      ['Deployment/test/podinfo', 'HorizontalPodAutoscaler/test/podinfo', 'Canary/test/podinfo', 'HTTPProxy/test/podinfo-ingress'],
    );
    const analysis = canaryOf(yaml).spec.analysis;
    assert.equal(analysis.interval, '30s');
    assert.deepEqual(
      analysis.metrics?.map((m) => m.interval),
      ['1m', '30s'],
    );
    assert.deepEqual(hooks(yaml), [
      "http://flagger-loadtester.test/ curl -sd 'test' http://podinfo-canary.test/token | grep token",
      'http://flagger-loadtester.test/ hey -z 1m -q 10 -c 2 -host app.example.com http://envoy.projectcontour',
    ]);
  });

  it('moves everything to another namespace and host, keeping the load tester', () => {
    const yaml = run(['manifests', 'demo-x', '--fast']);
    assert.ok(objects(yaml).every((o) => o.metadata?.namespace === 'demo-x'));
    assert.doesNotMatch(yaml, /namespace: test\b|podinfo-canary\.test\b|app\.example\.com/);
    assert.match(yaml, /fqdn: app\.demo-x\.example\.com/);
    assert.deepEqual(hooks(yaml), [
      "http://flagger-loadtester.test/ curl -sd 'test' http://podinfo-canary.demo-x/token | grep token",
      'http://flagger-loadtester.test/ hey -z 1m -q 10 -c 2 -host app.demo-x.example.com http://envoy.projectcontour',
    ]);
  });

  it("--fast uses the tests' intervals: analysis 5s, every metric 15s", () => {
    const analysis = canaryOf(run(['manifests', 'test', '--fast'])).spec.analysis;
    assert.equal(analysis.interval, '5s');
    assert.deepEqual(
      analysis.metrics?.map((m) => m.interval),
      ['15s', '15s'],
    );
  });

  it('names the virtual host the traffic goes to', () => {
    assert.equal(run(['host', 'test']), 'app.example.com\n');
    assert.equal(run(['host', 'demo-x']), 'app.demo-x.example.com\n');
  });

  it('refuses bad input with the usage', () => {
    assert.throws(() => run([]), /missing namespace\nusage:/);
    assert.throws(() => run(['manifests', 'Not_A_Namespace']), /invalid namespace "Not_A_Namespace"\nusage:/);
    assert.throws(() => run(['manifests', 'test', '--slow']), /^Error: usage:/);
    assert.throws(() => run(['host', 'test', '--fast']), /^Error: usage:/);
    assert.throws(() => run(['apply', 'test']), /^Error: usage:/);
  });
});
