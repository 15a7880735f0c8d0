// The revision a Canary's target would roll out now, computed exactly as the activities compute it
// (inspectTarget): revisionOf over the workload's pod template (a Deployment's or a DaemonSet's) and
// the tracked checksum of each ConfigMap and Secret the template references, each read by name. A
// workload is read again only when its watch reports a new metadata.generation (its spec changed); a
// config only when its feed tells of a change to it (`configChanged`) or may have missed one
// (`forgetConfigs`). Only objects a target uses are ever read, and of a config only its checksum is
// kept.
import type * as k8s from '@kubernetes/client-node';
import { type ConfigKind, type ConfigRef, revisionOf, scanConfigRefs, trackedEntry } from '../kubernetes/revision';
import { type Workload, type WorkloadKind, podTemplateOf } from '../kubernetes/workload';

export interface ObjectReads {
  workload(kind: WorkloadKind, namespace: string, name: string): Promise<Workload | undefined>;
  configMap(namespace: string, name: string): Promise<k8s.V1ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<k8s.V1Secret | undefined>;
}

/**
 * The version the watches last reported for a workload (`versionOf`), undefined when they know of
 * no such object.
 */
export type KnownVersion = (kind: WorkloadKind, namespace: string, name: string) => string | undefined;

/** What is compared of a workload: its generation, which moves only when its spec changes. */
export function versionOf(metadata: { generation?: number } | undefined): string {
  return `generation ${metadata?.generation ?? 0}`;
}

interface Target {
  kind: WorkloadKind;
  version: string;
  template: k8s.V1PodTemplateSpec;
  refs: ConfigRef[];
}

interface Tracked {
  /** The resourceVersion read; '' when the object did not exist. */
  version: string;
  /** `[configKey, checksum]`, undefined when the object is not tracked or does not exist. */
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
  /**
   * configId → how many changes the feeds told of it (used configs only). A read during which the
   * count moved is used once, not kept: the change's own notice reads the config again.
   */
  private readonly changes = new Map<string, number>();

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
    for (const id of this.changes.keys()) if (!this.users.has(id)) this.changes.delete(id);
  }

  /** A config's feed told of a change: what was read of it is read again, if a target uses it. */
  configChanged(namespace: string, kind: ConfigKind, name: string, resourceVersion: string): void {
    const id = configId(namespace, kind, name);
    if (!this.users.has(id) || this.configs.get(id)?.version === resourceVersion) return;
    this.configs.delete(id);
    this.changes.set(id, (this.changes.get(id) ?? 0) + 1);
  }

  /** The feeds may have missed changes: every config is read again. */
  forgetConfigs(): void {
    this.configs.clear();
    for (const id of this.users.keys()) this.changes.set(id, (this.changes.get(id) ?? 0) + 1);
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
    const target = { kind, version: versionOf(workload.metadata), template, refs: scanConfigRefs(template) };
    this.setTarget(key, target);
    return target;
  }

  private async tracked(namespace: string, ref: ConfigRef): Promise<[string, string] | undefined> {
    const id = configId(namespace, ref.kind, ref.name);
    const cached = this.configs.get(id);
    if (cached !== undefined) return cached.entry;
    const before = this.changes.get(id) ?? 0;
    const obj = ref.kind === 'configmap' ? await this.reads.configMap(namespace, ref.name) : await this.reads.secret(namespace, ref.name);
    const entry = obj === undefined ? undefined : trackedEntry(ref.kind, obj);
    if ((this.changes.get(id) ?? 0) === before) this.configs.set(id, { version: obj?.metadata?.resourceVersion ?? '', entry });
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
