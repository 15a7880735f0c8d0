// The ConfigMaps and Secrets a pod template tracks, fetched once so that their checksums (for the
// revision) and their data (for the `-primary` copies) come from the same read.
import type * as k8s from '@kubernetes/client-node';
import { type KubeClients, readOptional } from '../../kubernetes/client';
import { scanConfigRefs } from '../../kubernetes/config-refs';
import { trackedEntry } from '../../kubernetes/config-tracking';

export interface TrackedConfigs {
  /** `configmap/<name>` or `secret/<name>` → checksum: Canary `status.trackedConfigs`. */
  checksums: Record<string, string>;
  configMaps: k8s.V1ConfigMap[];
  secrets: k8s.V1Secret[];
}

/**
 * Missing objects are skipped unless a reference says `optional: false` (then the read fails and
 * is retried, as Flagger reports the error every tick); objects with tracking disabled and
 * Secrets of untracked types are left out, and everything when config tracking is off.
 */
export async function readTrackedConfigs(
  kube: KubeClients,
  namespace: string,
  template: k8s.V1PodTemplateSpec,
  tracking = true,
): Promise<TrackedConfigs> {
  const out: TrackedConfigs = { checksums: {}, configMaps: [], secrets: [] };
  const refs = scanConfigRefs(template, tracking);
  // Read together, then taken in the references' order.
  const objects = await Promise.all(
    refs.map((ref) =>
      ref.kind === 'configmap'
        ? readOptional(() => kube.core.readNamespacedConfigMap({ name: ref.name, namespace }))
        : readOptional(() => kube.core.readNamespacedSecret({ name: ref.name, namespace })),
    ),
  );
  for (const [i, ref] of refs.entries()) {
    const obj = objects[i];
    if (obj === undefined) {
      if (ref.mandatory) throw new Error(`${ref.kind} ${ref.name}.${namespace} get query error: not found`);
      continue;
    }
    const entry = trackedEntry(ref.kind, obj);
    if (entry === undefined) continue;
    out.checksums[entry[0]] = entry[1];
    if (ref.kind === 'configmap') out.configMaps.push(obj);
    else out.secrets.push(obj);
  }
  return out;
}

export const trackedKeys = (tracked: TrackedConfigs): Set<string> => new Set(Object.keys(tracked.checksums));
