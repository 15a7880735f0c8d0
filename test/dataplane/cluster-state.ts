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
    this.proxies = k8s.makeInformer(kc, `/apis/${HTTPPROXY_GROUP}/${HTTPPROXY_VERSION}/${HTTPPROXY_PLURAL}`,
      () => custom.listClusterCustomObject({ group: HTTPPROXY_GROUP, version: HTTPPROXY_VERSION, plural: HTTPPROXY_PLURAL }) as
        Promise<k8s.KubernetesListObject<HTTPProxy & k8s.KubernetesObject>>);
    this.services = k8s.makeInformer(kc, '/api/v1/services', () => core.listServiceForAllNamespaces());
    this.slices = k8s.makeInformer(kc, '/apis/discovery.k8s.io/v1/endpointslices', () => discovery.listEndpointSliceForAllNamespaces());
    this.pods = k8s.makeInformer(kc, '/api/v1/pods', () => core.listPodForAllNamespaces());
    for (const verb of [k8s.ADD, k8s.UPDATE, k8s.DELETE] as const) this.proxies.on(verb, () => { this.hosts = undefined; });
  }

  async start(): Promise<void> {
    const all = [this.proxies, this.services, this.slices, this.pods] as Cache<k8s.KubernetesObject>[];
    for (const informer of all) {
      // A broken watch is restarted: the simulator must outlive API server hiccups.
      informer.on(k8s.ERROR, () => setTimeout(() => { void informer.start().catch(() => undefined); }, 1000));
    }
    await Promise.all(all.map((i) => i.start()));
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
