// What the target would run now, summarised as plain data for the workflow; and whether the primary
// already runs it, so a Canary another controller (Flagger) promoted is adopted without analysis.
import type * as k8s from '@kubernetes/client-node';
import { canonicalJson } from '../../kubernetes/canonical-json';
import { type KubeClients, readOptional } from '../../kubernetes/client';
import { PRIMARY_SUFFIX } from '../../kubernetes/config-refs';
import { trackedEntry } from '../../kubernetes/config-tracking';
import { FLAGGER_ID_ANNOTATION, primaryName, primaryTemplate } from '../../kubernetes/primary';
import { revisionOf } from '../../kubernetes/revision';
import { selectorLabelOf } from '../../kubernetes/selector';
import { type Workload, type WorkloadKind, podTemplateOf, specReplicas } from '../../kubernetes/workload';
import { type KubeTargets, readWorkload, resolveWorkload } from './target';
import { type TrackedConfigs, readTrackedConfigs, trackedKeys } from './tracked-configs';

export interface TargetInfo {
  exists: boolean;
  /** revisionOf(pod template, tracked configs); '' when the target does not exist. */
  revision: string;
  /** A Deployment's spec.replicas (the API server defaults it to 1); a DaemonSet's nodes scheduled. */
  replicas: number;
  /** The selector label key Flagger would use (`-selector-labels`), if any. */
  selectorLabel?: string;
  /** `configmap/<name>` or `secret/<name>` → checksum: Canary `status.trackedConfigs`. */
  trackedConfigs: Record<string, string>;
  /** The first container's image, for messages and the UI. */
  image: string;
  /**
   * The primary runs what a promotion of the target would give it now: the same pod template
   * (its `flagger-id` annotation aside, which Flagger sets at random) and `-primary` copies holding
   * the tracked configs' data. False without a primary. A Canary whose lastAppliedSpec another
   * controller wrote is then at this revision already, with nothing to analyse.
   */
  primaryMatches?: boolean;
}

export interface InspectInput {
  namespace: string;
  name: string;
  /** spec.targetRef.kind; when absent, resolveWorkload finds it. */
  kind?: string;
}

export async function inspectTarget(deps: KubeTargets, input: InspectInput): Promise<TargetInfo> {
  const { kube, flags } = deps;
  const { kind } = await resolveWorkload(deps, input.namespace, input.name, input.kind);
  // The primary is read beside the target, not after it: a look waits one round trip, not two.
  const [workload, primary] = await Promise.all([
    readWorkload(kube, input.namespace, input.name, kind),
    readWorkload(kube, input.namespace, primaryName(input.name), kind),
  ]);
  if (workload === undefined) return { exists: false, revision: '', replicas: 0, trackedConfigs: {}, image: '' };
  const template = podTemplateOf(kind, workload);
  const tracked = await readTrackedConfigs(kube, input.namespace, template, flags.configTracking);
  const selector = selectorLabelOf(workload, flags.selectorLabels);
  const revision = revisionOf(template, tracked.checksums);
  return {
    exists: true,
    revision,
    replicas: kind === 'DaemonSet' ? ((workload as k8s.V1DaemonSet).status?.desiredNumberScheduled ?? 0) : (specReplicas(workload) ?? 1),
    ...(selector && { selectorLabel: selector.key }),
    trackedConfigs: tracked.checksums,
    image: template.spec?.containers[0]?.image ?? '',
    ...(selector && { primaryMatches: await primaryMatches(deps, input, kind, workload, primary, tracked, selector) }),
  };
}

async function primaryMatches(
  deps: KubeTargets,
  input: InspectInput,
  kind: WorkloadKind,
  target: Workload,
  primary: Workload | undefined,
  tracked: TrackedConfigs,
  selector: { key: string; value: string },
): Promise<boolean> {
  if (primary === undefined) return false;
  const want = primaryTemplate({ target, kind, selector, tracked: trackedKeys(tracked), revision: '', flags: deps.flags });
  if (comparable(want) !== comparable(primary.spec?.template)) return false;
  return copiesMatch(deps.kube, input.namespace, tracked);
}

/** Every tracked config has its `-primary` copy holding the same data; the copies are read together. */
async function copiesMatch(kube: KubeClients, namespace: string, tracked: TrackedConfigs): Promise<boolean> {
  const matches = await Promise.all(
    Object.entries(tracked.checksums).map(async ([key, checksum]) => {
      const [configKind, name] = key.split('/') as ['configmap' | 'secret', string];
      const copyName = `${name}${PRIMARY_SUFFIX}`;
      const copy =
        configKind === 'configmap'
          ? await readOptional(() => kube.core.readNamespacedConfigMap({ name: copyName, namespace }))
          : await readOptional(() => kube.core.readNamespacedSecret({ name: copyName, namespace }));
      return copy !== undefined && trackedEntry(configKind, copy)?.[1] === checksum;
    }),
  );
  return matches.every(Boolean);
}

/** A pod template as written, its flagger-id and the server's creationTimestamp aside. */
function comparable(template: k8s.V1PodTemplateSpec | undefined): string {
  const annotations = { ...template?.metadata?.annotations };
  delete annotations[FLAGGER_ID_ANNOTATION];
  return canonicalJson({ ...template, metadata: { ...template?.metadata, annotations, creationTimestamp: undefined } });
}
