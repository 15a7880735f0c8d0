// The revision a Canary's target would roll out now, computed exactly as the activities compute it
// (inspectTarget): revisionOf over the workload's pod template (a Deployment's or a DaemonSet's) and
// the tracked checksum of each ConfigMap and Secret the template references, each read by name. The
// watches report only versions (metadata-informer.ts); a read is repeated only when the version
// moved: a workload's metadata.generation (its spec changed), a config's resourceVersion. Only
// objects a target uses are ever read, and of a config only its checksum is kept.
import type * as k8s from '@kubernetes/client-node';
import { type ConfigKind, type ConfigRef, revisionOf, scanConfigRefs, trackedEntry } from '../kubernetes/revision';
import { type Workload, type WorkloadKind, podTemplateOf } from '../kubernetes/workload';

export interface ObjectReads {
  workload(kind: WorkloadKind, namespace: string, name: string): Promise<Workload | undefined>;
  configMap(namespace: string, name: string): Promise<k8s.V1ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<k8s.V1Secret | undefined>;
}

/** What the watcher watches: the kinds of target, and the configs they track. */
export type ObjectKind = WorkloadKind | ConfigKind;

/**
 * The version the watches last reported for an object (`versionOf`), undefined when they know of
 * no such object.
 */
export type KnownVersion = (kind: ObjectKind, namespace: string, name: string) => string | undefined;

const isWorkload = (kind: ObjectKind): kind is WorkloadKind => kind === 'Deployment' || kind === 'DaemonSet';

/** What is compared: a workload's generation, a config's resourceVersion. */
export function versionOf(kind: ObjectKind, metadata: { generation?: number; resourceVersion?: string } | undefined): string {
  return isWorkload(kind) ? `generation ${metadata?.generation ?? 0}` : (metadata?.resourceVersion ?? '');
}

interface Target {
  kind: WorkloadKind;
  version: string;
  template: k8s.V1PodTemplateSpec;
  refs: ConfigRef[];
}

interface Tracked {
  version: string;
  /** `[configKey, checksum]`, undefined when the object is not tracked. */
  entry: [string, string] | undefined;
}

const configId = (namespace: string, kind: ConfigKind, name: string): string => `${namespace}/${kind}/${name}`;

export class TargetRevisions {
  /** By `namespace/workload`. */
  private readonly targets = new Map<string, Target>();
  /** By configId. */
  private readonly configs = new Map<string, Tracked>();
  /** configId → the workloads (by name, in that namespace) whose template references it. */
  private readonly users = new Map<string, Set<string>>();

  constructor(
    private readonly reads: ObjectReads,
    private readonly known: KnownVersion,
  ) {}

  /** The target's revision (inspectTarget's), or '' when the workload does not exist. */
  async revision(namespace: string, name: string, kind: WorkloadKind = 'Deployment'): Promise<string> {
    const target = await this.target(namespace, name, kind);
    if (target === undefined) return '';
    const checksums: Record<string, string> = {};
    for (const ref of target.refs) {
      const entry = await this.tracked(namespace, ref);
      if (entry !== undefined) checksums[entry[0]] = entry[1];
    }
    return revisionOf(target.template, checksums);
  }

  /** The workloads in `namespace` whose template (as last read) references the config. */
  usersOf(namespace: string, kind: ConfigKind, name: string): string[] {
    return [...(this.users.get(configId(namespace, kind, name)) ?? [])];
  }

  /** Forgets every target not in `keep` (`namespace/workload`) and the configs only they used. */
  retain(keep: ReadonlySet<string>): void {
    for (const key of this.targets.keys()) if (!keep.has(key)) this.setTarget(key, undefined);
    for (const id of this.configs.keys()) if (!this.users.has(id)) this.configs.delete(id);
  }

  private async target(namespace: string, name: string, kind: WorkloadKind): Promise<Target | undefined> {
    const key = `${namespace}/${name}`;
    const version = this.known(kind, namespace, name);
    const cached = this.targets.get(key);
    if (version !== undefined && cached?.kind === kind && cached.version === version) return cached;
    const workload = version === undefined ? undefined : await this.reads.workload(kind, namespace, name);
    if (workload === undefined) {
      this.setTarget(key, undefined);
      return undefined;
    }
    const template = podTemplateOf(kind, workload);
    const target = { kind, version: versionOf(kind, workload.metadata), template, refs: scanConfigRefs(template) };
    this.setTarget(key, target);
    return target;
  }

  private async tracked(namespace: string, ref: ConfigRef): Promise<[string, string] | undefined> {
    const id = configId(namespace, ref.kind, ref.name);
    const version = this.known(ref.kind, namespace, ref.name);
    const cached = this.configs.get(id);
    if (version !== undefined && cached?.version === version) return cached.entry;
    const obj =
      version === undefined
        ? undefined
        : ref.kind === 'configmap'
          ? await this.reads.configMap(namespace, ref.name)
          : await this.reads.secret(namespace, ref.name);
    if (obj === undefined) {
      this.configs.delete(id);
      return undefined;
    }
    const entry = trackedEntry(ref.kind, obj);
    this.configs.set(id, { version: versionOf(ref.kind, obj.metadata), entry });
    return entry;
  }

  private setTarget(key: string, target: Target | undefined): void {
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    for (const ref of this.targets.get(key)?.refs ?? []) {
      const id = configId(namespace, ref.kind, ref.name);
      const users = this.users.get(id);
      users?.delete(name);
      if (users?.size === 0) this.users.delete(id);
    }
    if (target === undefined) {
      this.targets.delete(key);
      return;
    }
    this.targets.set(key, target);
    for (const ref of target.refs) {
      const id = configId(namespace, ref.kind, ref.name);
      let users = this.users.get(id);
      if (users === undefined) {
        users = new Set();
        this.users.set(id, users);
      }
      users.add(name);
    }
  }
}
