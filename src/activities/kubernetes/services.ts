// The three ClusterIP Services of a Canary: `<apex>-canary` selects the target's pods,
// `<apex>-primary` and the apex `<apex>` select the primary's. Existing Services are taken over:
// their selector and ports are set; their labels and annotations only if this Canary owns them.
import type * as k8s from '@kubernetes/client-node';
import { type CanarySettings, type ServiceMetadata } from '../../api/canary-settings';
import { canonicalJson } from '../../kubernetes/canonical-json';
import { type KubeClients, readOptional } from '../../kubernetes/client';
import { FLUX_DISABLED_ANNOTATIONS, controllerRefOf } from '../../kubernetes/metadata';
import { type SelectorLabel, primaryLabelValue } from '../../kubernetes/selector';
import { servicePorts } from '../../kubernetes/service-ports';

export type ServiceRole = 'apex' | 'primary' | 'canary';

interface Wanted {
  name: string;
  selector: Record<string, string>;
  ports: k8s.V1ServicePort[];
  /** `service.trafficDistribution`, on all three Services. */
  trafficDistribution?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export function wantedService(settings: CanarySettings, role: ServiceRole, selector: SelectorLabel, containers: k8s.V1Container[]): Wanted {
  const s = settings.service;
  const name = role === 'apex' ? s.apexName : role === 'primary' ? s.primaryName : s.canaryName;
  const meta: ServiceMetadata = s[role];
  const podValue = role === 'canary' ? selector.value : primaryLabelValue(selector.value);
  return {
    name,
    selector: { [selector.key]: podValue },
    ports: servicePorts(s, containers),
    ...(s.trafficDistribution && { trafficDistribution: s.trafficDistribution }),
    labels: { ...meta.labels, [selector.key]: name },
    annotations: { ...meta.annotations, ...FLUX_DISABLED_ANNOTATIONS },
  };
}

export async function reconcileService(kube: KubeClients, settings: CanarySettings, want: Wanted, owner: k8s.V1OwnerReference): Promise<void> {
  const namespace = settings.namespace;
  const live = await readOptional(() => kube.core.readNamespacedService({ name: want.name, namespace }));
  if (live === undefined) {
    await kube.core.createNamespacedService({
      namespace,
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: want.name, namespace, labels: want.labels, annotations: want.annotations, ownerReferences: [owner] },
        spec: {
          type: 'ClusterIP',
          selector: want.selector,
          ports: want.ports,
          ...(want.trafficDistribution && { trafficDistribution: want.trafficDistribution }),
        },
      },
    });
    return;
  }
  const spec = live.spec ?? {};
  const ports = keepNodePorts(want.ports, spec.ports ?? []);
  const controller = controllerRefOf(live.metadata);
  const owned = controller?.name === settings.name;
  const unmanaged = settings.service.unmanagedMetadata;
  const labels = owned ? keep(want.labels, live.metadata?.labels, unmanaged.labels) : live.metadata?.labels;
  const annotations = owned ? keep(want.annotations, live.metadata?.annotations, unmanaged.annotations) : live.metadata?.annotations;
  // Set when the Canary asks for it; cleared when it no longer does, on a Service it owns.
  const trafficDistribution = want.trafficDistribution ?? (owned ? undefined : spec.trafficDistribution);
  const have = {
    selector: spec.selector,
    ports: sortPorts(spec.ports ?? []),
    trafficDistribution: spec.trafficDistribution,
    labels: live.metadata?.labels,
    annotations: live.metadata?.annotations,
  };
  const next = { selector: want.selector, ports: sortPorts(ports), trafficDistribution, labels, annotations };
  if (canonicalJson(have) === canonicalJson(next)) return;
  const nextSpec: k8s.V1ServiceSpec = { ...spec, selector: want.selector, ports, trafficDistribution };
  if (trafficDistribution === undefined) delete nextSpec.trafficDistribution;
  const body: k8s.V1Service = { ...live, metadata: { ...live.metadata, labels, annotations }, spec: nextSpec };
  await kube.core.replaceNamespacedService({ name: want.name, namespace, body });
}

/** NodePorts the cluster assigned stay, so a takeover does not move them. */
function keepNodePorts(want: k8s.V1ServicePort[], live: k8s.V1ServicePort[]): k8s.V1ServicePort[] {
  return want.map((p) => {
    const nodePort = live.find((l) => l.name === p.name)?.nodePort;
    return nodePort ? { ...p, nodePort } : p;
  });
}

const sortPorts = (ports: k8s.V1ServicePort[]): k8s.V1ServicePort[] => [...ports].sort((a, b) => a.port - b.port);

/** `want`, plus the live values of the keys the Canary lists as unmanaged (owned by someone else). */
function keep(want: Record<string, string>, live: Record<string, string> | undefined, unmanaged: string[]): Record<string, string> {
  const out = { ...want };
  for (const key of unmanaged) {
    const v = live?.[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}
