// A primary and a canary podinfo behind one HTTPProxy, included by a root proxy with a virtual host:
// the shape Perch builds, made by hand so the stack can be tested without Perch.
import * as k8s from '@kubernetes/client-node';
import { type HTTPProxyRoute } from '../../src/api/httpproxy';
import { httpRequest, viaClusterProxy } from './http';
import { HTTPProxies } from './httpproxies';
import { eventually, stack } from './stack';
import { deployment, isAvailable, service } from './workloads';

export interface PodinfoPair {
  namespace: string;
  fqdn: string;
}

export async function deployPodinfoPair(kc: k8s.KubeConfig, namespace: string, routes: HTTPProxyRoute[]): Promise<PodinfoPair> {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const proxies = new HTTPProxies(kc);
  const fqdn = `app.${namespace}.example.com`;
  for (const [name, version] of [
    ['podinfo-primary', '6.0.0'],
    ['podinfo-canary', '6.0.1'],
  ] as const) {
    await apps.createNamespacedDeployment({ namespace, body: deployment(namespace, name, `ghcr.io/stefanprodan/podinfo:${version}`, 1) });
    await core.createNamespacedService({ namespace, body: service(namespace, name, name) });
  }
  await proxies.create({ metadata: { name: 'podinfo', namespace }, spec: { routes } });
  await proxies.create({
    metadata: { name: 'podinfo-ingress', namespace },
    spec: { virtualhost: { fqdn }, includes: [{ name: 'podinfo', namespace, conditions: [{ prefix: '/' }] }] },
  });
  for (const name of ['podinfo-primary', 'podinfo-canary']) {
    await eventually(`${name} available`, 60_000, () => isAvailable(apps, namespace, name, 1));
  }
  await eventually('podinfo-ingress valid', 30_000, async () =>
    (await proxies.status(namespace, 'podinfo-ingress')) === 'valid' ? true : undefined,
  );
  await simulatorSeesEndpoints(namespace, ['podinfo-primary', 'podinfo-canary']);
  await eventually('the simulator routes to podinfo', 30_000, async () =>
    (await httpRequest(`${stack().envoyListener}/`, { headers: { host: fqdn } })).status === 200 ? true : undefined,
  );
  return { namespace, fqdn };
}

export const weighted = (primary: number, canary: number): HTTPProxyRoute => ({
  conditions: [{ prefix: '/' }],
  services: [
    { name: 'podinfo-primary', port: 80, weight: primary },
    { name: 'podinfo-canary', port: 80, weight: canary },
  ],
});

/**
 * The simulator learns of endpoints through its own watches, later than the API server has them:
 * waits until it sees ready pods behind each Service (asked through its cluster proxy, which answers
 * 503 without them), so a route to them answers from every backend.
 */
export async function simulatorSeesEndpoints(namespace: string, services: readonly string[]): Promise<void> {
  for (const name of services) {
    await eventually(`the simulator to see ${name}'s endpoints`, 30_000, async () =>
      (await viaClusterProxy(stack().clusterProxy, `http://${name}.${namespace}/healthz`)).status === 200 ? true : undefined,
    );
  }
}
