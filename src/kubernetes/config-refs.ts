// Which ConfigMaps and Secrets a pod template reads, and the same template reading the primary's
// `-primary` copies instead. Follows Flagger's config tracker: volumes, projected volume sources,
// env valueFrom and envFrom, of containers and init containers.
import type * as k8s from '@kubernetes/client-node';

export type ConfigKind = 'configmap' | 'secret';

export interface ConfigRef {
  kind: ConfigKind;
  name: string;
  /**
   * Only an explicit `optional: false` makes a missing object an error; Flagger treats an unset
   * `optional` like `true` and merely skips the missing object.
   */
  mandatory: boolean;
}

/** `configmap/<name>` or `secret/<name>`: the key of Canary `status.trackedConfigs`. */
export const configKey = (kind: ConfigKind, name: string): string => `${kind}/${name}`;

export const PRIMARY_SUFFIX = '-primary';

/**
 * Every ConfigMap and Secret the template references, once each, sorted by key; none when config
 * tracking is off (Flagger's `-enable-config-tracking=false`: the primary reads the originals).
 */
export function scanConfigRefs(template: k8s.V1PodTemplateSpec, tracking = true): ConfigRef[] {
  if (!tracking) return [];
  const found = new Map<string, ConfigRef>();
  const add = (kind: ConfigKind, name: string | undefined, optional: boolean | undefined): void => {
    if (!name) return;
    const key = configKey(kind, name);
    const mandatory = optional === false || (found.get(key)?.mandatory ?? false);
    found.set(key, { kind, name, mandatory });
  };
  forEachRef(template.spec, {
    configMap: (ref) => add('configmap', ref.get(), ref.optional),
    secret: (ref) => add('secret', ref.get(), ref.optional),
  });
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, ref]) => ref);
}

/** The names of the referenced ConfigMaps and Secrets (before the per-object tracking rules); none when tracking is off. */
export function trackedConfigRefs(template: k8s.V1PodTemplateSpec, tracking = true): { configMaps: string[]; secrets: string[] } {
  const refs = scanConfigRefs(template, tracking);
  return {
    configMaps: refs.filter((r) => r.kind === 'configmap').map((r) => r.name),
    secrets: refs.filter((r) => r.kind === 'secret').map((r) => r.name),
  };
}

/**
 * A copy of `spec` whose references to tracked objects (keys as in `configKey`) point at their
 * `-primary` copies. Untracked references (tracking disabled, unsupported Secret types, missing
 * optional objects) keep pointing at the original, as in Flagger.
 */
export function rewriteConfigRefs(spec: k8s.V1PodSpec, tracked: ReadonlySet<string>): k8s.V1PodSpec {
  const copy = structuredClone(spec);
  const rename =
    (kind: ConfigKind) =>
    (ref: NameRef): void => {
      const name = ref.get();
      if (name && tracked.has(configKey(kind, name))) ref.set(name + PRIMARY_SUFFIX);
    };
  forEachRef(copy, { configMap: rename('configmap'), secret: rename('secret') });
  return copy;
}

/** A reference's name, readable and writable whichever field spells it. */
interface NameRef {
  get(): string | undefined;
  set(name: string): void;
  optional: boolean | undefined;
}

interface Visitor {
  configMap(ref: NameRef): void;
  secret(ref: NameRef): void;
}

function named(obj: { name?: string; optional?: boolean }): NameRef {
  return {
    get: () => obj.name,
    set: (n) => {
      obj.name = n;
    },
    optional: obj.optional,
  };
}

function forEachRef(spec: k8s.V1PodSpec | undefined, visit: Visitor): void {
  if (!spec) return;
  for (const volume of spec.volumes ?? []) {
    if (volume.configMap) visit.configMap(named(volume.configMap));
    const secret = volume.secret;
    if (secret) {
      visit.secret({
        get: () => secret.secretName,
        set: (n) => {
          secret.secretName = n;
        },
        optional: secret.optional,
      });
    }
    for (const source of volume.projected?.sources ?? []) {
      if (source.configMap) visit.configMap(named(source.configMap));
      if (source.secret) visit.secret(named(source.secret));
    }
  }
  for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const env of container.env ?? []) {
      // Flagger reads one source per entry, ConfigMap first; the API allows only one anyway.
      if (env.valueFrom?.configMapKeyRef) visit.configMap(named(env.valueFrom.configMapKeyRef));
      else if (env.valueFrom?.secretKeyRef) visit.secret(named(env.valueFrom.secretKeyRef));
    }
    for (const from of container.envFrom ?? []) {
      if (from.configMapRef) visit.configMap(named(from.configMapRef));
      else if (from.secretRef) visit.secret(named(from.secretRef));
    }
  }
}
