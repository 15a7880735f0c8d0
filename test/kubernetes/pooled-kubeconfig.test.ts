import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { PooledKubeConfig } from '../../src/kubernetes/pooled-kubeconfig';

/** A kubeconfig with a CA, so each call's context gets a TLS dispatcher; two users, `alice` current. */
function load(kc: k8s.KubeConfig): k8s.KubeConfig {
  kc.loadFromOptions({
    clusters: [{ name: 'stack', server: 'https://127.0.0.1:6443', caData: Buffer.from('not a real CA').toString('base64') }],
    users: [
      { name: 'alice', token: 'a' },
      { name: 'bob', token: 'b' },
    ],
    contexts: [
      { name: 'as-alice', cluster: 'stack', user: 'alice' },
      { name: 'as-bob', cluster: 'stack', user: 'bob' },
    ],
    currentContext: 'as-alice',
  });
  return kc;
}

async function dispatcherOfACall(kc: k8s.KubeConfig): Promise<unknown> {
  const context = new k8s.RequestContext('https://127.0.0.1:6443/api/v1/namespaces', k8s.HttpMethod.GET);
  await kc.applySecurityAuthentication(context);
  return context.getDispatcher();
}

describe('PooledKubeConfig', () => {
  it('gives every call of one cluster and user the same connection pool', async () => {
    const kc = load(new PooledKubeConfig());
    const first = await dispatcherOfACall(kc);
    assert.ok(first, 'a TLS cluster gets a dispatcher');
    assert.equal(await dispatcherOfACall(kc), first);
    assert.equal(await dispatcherOfACall(kc), first);
  });

  it('keeps the credentials per call: the token header is still set each time', async () => {
    const kc = load(new PooledKubeConfig());
    const context = new k8s.RequestContext('https://127.0.0.1:6443/api/v1/namespaces', k8s.HttpMethod.GET);
    await kc.applySecurityAuthentication(context);
    assert.equal(context.getHeaders().Authorization, 'Bearer a');
  });

  it('gives another user its own pool', async () => {
    const kc = load(new PooledKubeConfig());
    const alice = await dispatcherOfACall(kc);
    kc.setCurrentContext('as-bob');
    const bob = await dispatcherOfACall(kc);
    assert.notEqual(bob, alice);
    assert.equal(await dispatcherOfACall(kc), bob);
  });

  it('differs from the plain client, which builds a new pool for each call', async () => {
    const kc = load(new k8s.KubeConfig());
    assert.notEqual(await dispatcherOfACall(kc), await dispatcherOfACall(kc));
  });
});
