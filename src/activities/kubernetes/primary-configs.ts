// The primary's own copies of the tracked ConfigMaps and Secrets (`<name>-primary`), so the
// primary keeps the promoted config while the target's objects change under analysis.
import type * as k8s from '@kubernetes/client-node';
import { canonicalJson } from '../../kubernetes/canonical-json';
import { type KubeClients, readOptional } from '../../kubernetes/client';
import { PRIMARY_SUFFIX } from '../../kubernetes/config-refs';
import { withController } from '../../kubernetes/metadata';
import { includeByPrefix } from '../../kubernetes/target-flags';
import { type TrackedConfigs } from './tracked-configs';

/** Creates or updates every copy; writes nothing when a copy already matches. */
export async function upsertPrimaryConfigs(
  kube: KubeClients,
  namespace: string,
  tracked: TrackedConfigs,
  owner: k8s.V1OwnerReference | undefined,
  labelPrefixes: readonly string[] = [],
): Promise<void> {
  for (const cm of tracked.configMaps) await upsertConfigMap(kube.core, namespace, cm, owner, labelPrefixes);
  for (const secret of tracked.secrets) await upsertSecret(kube.core, namespace, secret, owner, labelPrefixes);
}

// The source's labels with an included prefix (`-include-label-prefix`, none by default); the copy is taken over.
function copyMeta(
  live: k8s.V1ObjectMeta | undefined,
  source: k8s.V1ObjectMeta | undefined,
  name: string,
  namespace: string,
  owner: k8s.V1OwnerReference | undefined,
  labelPrefixes: readonly string[],
): k8s.V1ObjectMeta {
  const refs = owner ? withController(live?.ownerReferences, owner) : live?.ownerReferences;
  return {
    ...(live ?? {}),
    name,
    namespace,
    labels: includeByPrefix(source?.labels, labelPrefixes),
    ...(refs && refs.length > 0 && { ownerReferences: refs }),
  };
}

const sameMeta = (live: k8s.V1ObjectMeta | undefined, want: k8s.V1ObjectMeta): boolean =>
  canonicalJson([live?.labels ?? {}, live?.ownerReferences ?? []]) === canonicalJson([want.labels ?? {}, want.ownerReferences ?? []]);

async function upsertConfigMap(
  core: k8s.CoreV1Api,
  namespace: string,
  source: k8s.V1ConfigMap,
  owner: k8s.V1OwnerReference | undefined,
  labelPrefixes: readonly string[],
): Promise<void> {
  const name = `${source.metadata?.name ?? ''}${PRIMARY_SUFFIX}`;
  const live = await readOptional(() => core.readNamespacedConfigMap({ name, namespace }));
  const body: k8s.V1ConfigMap = {
    metadata: copyMeta(live?.metadata, source.metadata, name, namespace, owner, labelPrefixes),
    data: source.data,
    binaryData: source.binaryData,
  };
  if (live === undefined) {
    await core.createNamespacedConfigMap({ namespace, body });
    return;
  }
  const same =
    sameMeta(live.metadata, body.metadata ?? {}) && canonicalJson([live.data, live.binaryData]) === canonicalJson([body.data, body.binaryData]);
  if (!same) await core.replaceNamespacedConfigMap({ name, namespace, body });
}

async function upsertSecret(
  core: k8s.CoreV1Api,
  namespace: string,
  source: k8s.V1Secret,
  owner: k8s.V1OwnerReference | undefined,
  labelPrefixes: readonly string[],
): Promise<void> {
  const name = `${source.metadata?.name ?? ''}${PRIMARY_SUFFIX}`;
  let live = await readOptional(() => core.readNamespacedSecret({ name, namespace }));
  if (live !== undefined && (live.type ?? 'Opaque') !== (source.type ?? 'Opaque')) {
    // A Secret's type is immutable: the copy is replaced by a new object of the source's type.
    await core.deleteNamespacedSecret({ name, namespace });
    live = undefined;
  }
  const meta = copyMeta(live?.metadata, source.metadata, name, namespace, owner, labelPrefixes);
  const body: k8s.V1Secret = { metadata: meta, type: source.type, data: source.data };
  if (live === undefined) {
    await core.createNamespacedSecret({ namespace, body });
    return;
  }
  const same = sameMeta(live.metadata, meta) && canonicalJson(live.data) === canonicalJson(body.data);
  if (!same) await core.replaceNamespacedSecret({ name, namespace, body });
}
