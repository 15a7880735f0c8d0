// Which referenced ConfigMaps and Secrets count as part of a revision, and their checksums.
// Checksums are Flagger's own (hex of the first 8 bytes of SHA-256 over Go's JSON of `data`), so
// `status.trackedConfigs` written by Flagger stays valid when Perch takes a Canary over.
import { createHash } from 'node:crypto';
import type * as k8s from '@kubernetes/client-node';
import { type ConfigKind, configKey } from './config-refs';

/** Flagger skips an object whose annotation value starts with "disable" ("disabled", "disable"). */
export const CONFIG_TRACKING_ANNOTATION = 'flagger.app/config-tracking';

/** Registry credentials and service-account tokens are not application config (Flagger's list). */
export const TRACKED_SECRET_TYPES: readonly string[] = ['Opaque', 'kubernetes.io/basic-auth', 'kubernetes.io/ssh-auth', 'kubernetes.io/tls'];

/**
 * Flagger's checksum of a ConfigMap's or Secret's `data` (Secret values stay base64, as the API
 * returns them). Absent or empty data hashes like Go's nil map, "null".
 */
export function configChecksum(data: Record<string, string> | undefined): string {
  const empty = data === undefined || Object.keys(data).length === 0;
  const json = empty ? 'null' : goJson(data);
  return createHash('sha256').update(json, 'utf8').digest('hex').slice(0, 16);
}

export function isTrackingDisabled(meta: k8s.V1ObjectMeta | undefined): boolean {
  return (meta?.annotations?.[CONFIG_TRACKING_ANNOTATION] ?? '').startsWith('disable');
}

/**
 * The checksum of a referenced ConfigMap, or undefined when it is not tracked. Flagger hashes
 * `data` only; Perch also folds in `binaryData` when there is some, so a change there is a new
 * revision too, while ConfigMaps without binaryData keep Flagger's checksum.
 */
export function configMapChecksum(cm: k8s.V1ConfigMap): string | undefined {
  if (isTrackingDisabled(cm.metadata)) return undefined;
  const binary = cm.binaryData ?? {};
  if (Object.keys(binary).length === 0) return configChecksum(cm.data);
  return configChecksum({ data: goJson(cm.data ?? {}), binaryData: goJson(binary) });
}

/** The checksum of a referenced Secret, or undefined when it is not tracked. */
export function secretChecksum(secret: k8s.V1Secret): string | undefined {
  if (isTrackingDisabled(secret.metadata)) return undefined;
  if (!TRACKED_SECRET_TYPES.includes(secret.type ?? 'Opaque')) return undefined;
  return configChecksum(secret.data);
}

/** `[configKey, checksum]` for a fetched object, or undefined when it is not tracked. */
export function trackedEntry(kind: ConfigKind, obj: k8s.V1ConfigMap | k8s.V1Secret): [string, string] | undefined {
  const name = obj.metadata?.name ?? '';
  const sum = kind === 'configmap' ? configMapChecksum(obj) : secretChecksum(obj);
  return sum === undefined ? undefined : [configKey(kind, name), sum];
}

/** Go's encoding/json for a string map: keys sorted, and <, >, &, U+2028, U+2029 escaped. */
function goJson(data: Record<string, string>): string {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(data).sort()) sorted[key] = data[key] ?? '';
  return JSON.stringify(sorted).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
