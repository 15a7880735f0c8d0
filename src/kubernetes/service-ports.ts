// The ports of the generated Services: the Canary's service port, plus with `portDiscovery` every
// other container port (service-mesh sidecars excluded), named as Flagger names them.
import type * as k8s from '@kubernetes/client-node';
import { type ServiceSettings } from '../api/canary-settings';

const SIDECARS = new Set(['istio-proxy', 'envoy']);

export function servicePorts(service: ServiceSettings, containers: k8s.V1Container[]): k8s.V1ServicePort[] {
  const main: k8s.V1ServicePort = {
    name: service.portName,
    protocol: 'TCP',
    port: service.port,
    targetPort: service.targetPort,
    ...(service.appProtocol !== undefined && { appProtocol: service.appProtocol }),
  };
  if (!service.portDiscovery) return [main];
  const discovered = new Map<string, number>();
  for (const c of containers) {
    if (SIDECARS.has(c.name)) continue;
    (c.ports ?? []).forEach((p, i) => {
      const isMain = typeof service.targetPort === 'number' ? p.containerPort === service.targetPort : p.name === service.targetPort;
      if (!isMain) discovered.set(p.name || `tcp-${c.name}-${i}`, p.containerPort);
    });
  }
  // Flagger iterates a Go map here; sorting by name keeps the list stable between writes.
  const extra = [...discovered.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, port]): k8s.V1ServicePort => ({ name, protocol: 'TCP', port, targetPort: port }));
  return [main, ...extra];
}
