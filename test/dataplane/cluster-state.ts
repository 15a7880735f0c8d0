// The simulator's view of the cluster, kept current by watches (informers): HTTPProxies, Services,
// EndpointSlices and Pods. Routing reads from here; nothing polls the API server.
import * as k8s from '@kubernetes/client-node';
import { type HTTPProxy, HTTPPROXY_GROUP, HTTPPROXY_PLURAL, HTTPPROXY_VERSION } from '../../src/api/httpproxy';
import { type Pod } from './podinfo';
import { buildVirtualHosts, type Route } from './routing';

type Cache<T extends k8s.KubernetesObject> = k8s.Informer<T> & k8s.ObjectCache<T>;

export class ClusterState {
  private readonly proxies: Cache<HTTPProxy & k8s.KubernetesObject>;
  private readonly services: Cache<k8s.V1Service>;
  private readonly slices: Cache<k8s.V1EndpointSlice>;
  private readonly pods: Cache<k8s.V1Pod>;
  private hosts: Map<string, Route[]> | undefined;

  constructor(kc: k8s.KubeConfig) {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const discovery = kc.makeApiClient(k8s.DiscoveryV1Api);
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    this.proxies = k8s.makeInformer(
      kc,
      `/apis/${HTTPPROXY_GROUP}/${HTTPPROXY_VERSION}/${HTTPPROXY_PLURAL}`,
      () =>
        custom.listClusterCustomObject({ group: HTTPPROXY_GROUP, version: HTTPPROXY_VERSION, plural: HTTPPROXY_PLURAL }) as Promise<
          k8s.KubernetesListObject<HTTPProxy & k8s.KubernetesObject>
        >,
    );
    this.services = k8s.makeInformer(kc, '/api/v1/services', () => core.listServiceForAllNamespaces());
    this.slices = k8s.makeInformer(kc, '/apis/discovery.k8s.io/v1/endpointslices', () => discovery.listEndpointSliceForAllNamespaces());
    this.pods = k8s.makeInformer(kc, '/api/v1/pods', () => core.listPodForAllNamespaces());
    for (const verb of [k8s.ADD, k8s.UPDATE, k8s.DELETE] as const)
      this.proxies.on(verb, () => {
        this.hosts = undefined;
      });
  }

  /** Resolves once every informer has listed its objects (retrying until the API server serves them). */
  async start(): Promise<void> {
    const all = [this.proxies, this.services, this.slices, this.pods] as Cache<k8s.KubernetesObject>[];
    await Promise.all(
      all.map(async (informer) => {
        while (!(await listed(informer))) await new Promise((r) => setTimeout(r, 1000));
        // From then on a broken watch is restarted (it re-lists when its resourceVersion is gone): the
        // simulator routes from what it knows through an API server outage and catches up after it.
        informer.on(k8s.ERROR, () =>
          setTimeout(() => {
            void informer.start().catch(() => undefined);
          }, 1000),
        );
      }),
    );
  }

  virtualHosts(): Map<string, Route[]> {
    this.hosts ??= buildVirtualHosts(this.proxies.list());
    return this.hosts;
  }

  serviceExists(namespace: string, name: string): boolean {
    return this.services.get(name, namespace) !== undefined;
  }

  /** The pods behind a Service's ready endpoints, as kube-proxy and Envoy's EDS would see them. */
  readyPods(namespace: string, service: string): Pod[] {
    const pods: Pod[] = [];
    for (const slice of this.slices.list(namespace)) {
      if (slice.metadata?.labels?.['kubernetes.io/service-name'] !== service) continue;
      for (const ep of slice.endpoints ?? []) {
        if (ep.conditions?.ready === false || ep.targetRef?.kind !== 'Pod' || !ep.targetRef.name) continue;
        const pod = this.pods.get(ep.targetRef.name, namespace);
        const image = pod?.spec?.containers[0]?.image ?? '';
        pods.push({ name: ep.targetRef.name, version: image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : 'latest' });
      }
    }
    return pods.sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** Starts an informer; true when its list succeeded (a failed one reports ERROR and stops). */
async function listed(informer: k8s.Informer<k8s.KubernetesObject>): Promise<boolean> {
  let failed = false;
  const onError = () => {
    failed = true;
  };
  informer.on(k8s.ERROR, onError);
  try {
    await informer.start();
  } catch {
    failed = true;
  } finally {
    informer.off(k8s.ERROR, onError);
  }
  return !failed;
}
