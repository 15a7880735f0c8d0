// An informer that knows of each object only that it exists and its version. The API server sends
// metadata only (PartialObjectMetadata), so a Helm release Secret of 1 MB costs a few hundred bytes
// on the wire and, once reduced to name and version, a few dozen in memory. Whoever needs an
// object's content reads it by name (src/watcher/target-revisions.ts).
import * as k8s from '@kubernetes/client-node';

/** Name, namespace, resourceVersion and (where the API keeps one) generation; nothing else. */
export interface ObjectVersion extends k8s.KubernetesObject {
  metadata: { name: string; namespace: string; resourceVersion: string; generation?: number };
}

export type MetadataInformer = k8s.Informer<ObjectVersion> & k8s.ObjectCache<ObjectVersion>;

type RequestOptions = ReturnType<typeof k8s.setHeaderOptions>;

/** One page of a typed list call (the generated clients' list and listForAllNamespaces). */
export type ListPage = (
  page: { limit: number; _continue?: string },
  options: RequestOptions,
) => Promise<{ metadata?: k8s.V1ListMeta; items?: k8s.KubernetesObject[] | null }>;

const LIST_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const WATCH_ACCEPT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
/** Pages keep the memory a first list needs bounded, whatever the number of objects. */
const PAGE_SIZE = 500;

/** `path` is the watch path (e.g. /api/v1/namespaces/x/secrets); `listPage` lists the same objects. */
export function metadataInformer(kc: k8s.KubeConfig, path: string, listPage: ListPage): MetadataInformer {
  return new k8s.ListWatch<ObjectVersion>(path, new MetadataWatch(kc), () => listAll(listPage), false);
}

/** Request options that make a typed list call answer metadata only. */
export function metadataListOptions(): RequestOptions {
  return k8s.setHeaderOptions('Accept', LIST_ACCEPT);
}

async function listAll(listPage: ListPage): Promise<k8s.KubernetesListObject<ObjectVersion>> {
  const options = metadataListOptions();
  const items: ObjectVersion[] = [];
  let resourceVersion: string | undefined;
  let next: string | undefined;
  do {
    const page = await listPage({ limit: PAGE_SIZE, ...(next !== undefined && { _continue: next }) }, options);
    // Every page of a paginated list is read at the first page's resourceVersion.
    resourceVersion ??= page.metadata?.resourceVersion;
    for (const item of page.items ?? []) items.push(versionOf(item));
    next = page.metadata?._continue || undefined;
  } while (next !== undefined);
  return { metadata: { resourceVersion }, items };
}

function versionOf(obj: k8s.KubernetesObject): ObjectVersion {
  const m = obj.metadata ?? {};
  return {
    metadata: {
      name: m.name ?? '',
      namespace: m.namespace ?? '',
      resourceVersion: m.resourceVersion ?? '',
      ...(m.generation !== undefined && { generation: m.generation }),
    },
  };
}

/** The client's watch, asking for metadata only and keeping only the version of each object. */
export class MetadataWatch extends k8s.Watch {
  constructor(kc: k8s.KubeConfig) {
    super(accepting(kc, WATCH_ACCEPT));
  }

  override watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, obj: unknown, event?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    // ERROR events carry a Status (410 Gone makes the informer list again): passed on as they are.
    return super.watch(
      path,
      query,
      (phase: string, obj: k8s.KubernetesObject, event?: unknown) => callback(phase, phase === 'ERROR' ? obj : versionOf(obj), event),
      done,
    );
  }
}

/** `kc`, but every request it authenticates also asks for `accept`. */
function accepting(kc: k8s.KubeConfig, accept: string): k8s.KubeConfig {
  const view = Object.create(kc) as k8s.KubeConfig;
  view.applySecurityAuthentication = async (context) => {
    await kc.applySecurityAuthentication(context);
    context.setHeaderParam('Accept', accept);
  };
  return view;
}
