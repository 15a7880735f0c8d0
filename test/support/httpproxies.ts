// Typed access to Contour's HTTPProxy objects for tests.
import * as k8s from '@kubernetes/client-node';
import { type HTTPProxy, HTTPPROXY_GROUP, HTTPPROXY_PLURAL, HTTPPROXY_VERSION } from '../../src/api/httpproxy';

export class HTTPProxies {
  private readonly api: k8s.CustomObjectsApi;

  constructor(kc: k8s.KubeConfig) {
    this.api = kc.makeApiClient(k8s.CustomObjectsApi);
  }

  private at(namespace: string) {
    return { group: HTTPPROXY_GROUP, version: HTTPPROXY_VERSION, plural: HTTPPROXY_PLURAL, namespace };
  }

  async create(proxy: HTTPProxy): Promise<void> {
    const body = { apiVersion: `${HTTPPROXY_GROUP}/${HTTPPROXY_VERSION}`, kind: 'HTTPProxy', ...proxy };
    await this.api.createNamespacedCustomObject({ ...this.at(proxy.metadata.namespace), body });
  }

  async get(namespace: string, name: string): Promise<HTTPProxy> {
    return (await this.api.getNamespacedCustomObject({ ...this.at(namespace), name })) as HTTPProxy;
  }

  async setSpec(namespace: string, name: string, spec: HTTPProxy['spec']): Promise<void> {
    await this.api.patchNamespacedCustomObject(
      { ...this.at(namespace), name, body: { spec } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
  }

  /** Contour's verdict on the proxy, once it has one. */
  async status(namespace: string, name: string): Promise<string | undefined> {
    const s = (await this.get(namespace, name)).status?.currentStatus;
    return s === 'NotReconciled' ? undefined : s;
  }
}
