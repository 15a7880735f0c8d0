// The identity of what a target Deployment would run: its pod template plus the data of the
// ConfigMaps and Secrets it tracks. The watcher and the activities compute it the same way, so a
// revision seen by one is recognised by the other. It is what Perch writes to lastAppliedSpec.
import { createHash } from 'node:crypto';
import type * as k8s from '@kubernetes/client-node';
import { canonicalJson } from './canonical-json';

export { configChecksum, configMapChecksum, secretChecksum, trackedEntry, isTrackingDisabled } from './config-tracking';
export { trackedConfigRefs, scanConfigRefs, configKey, type ConfigRef, type ConfigKind } from './config-refs';

/**
 * A short stable hash (16 hex digits of SHA-256) of the pod template and the tracked configs'
 * checksums (`configmap/<name>` or `secret/<name>` → checksum). Accepts a template from a typed
 * read or from a raw watch event alike. Unlike Flagger's Go-specific hash it can be recomputed
 * anywhere; Flagger's own lastAppliedSpec values therefore never match and count as a change.
 */
export function revisionOf(template: k8s.V1PodTemplateSpec, configChecksums: Record<string, string>): string {
  const { metadata, ...rest } = template;
  // The API server may stamp creationTimestamp on the template's metadata; nobody sets it.
  const meta = metadata === undefined ? undefined : { ...metadata, creationTimestamp: undefined };
  const doc = { template: { ...rest, metadata: meta }, configs: configChecksums };
  return createHash('sha256').update(canonicalJson(doc), 'utf8').digest('hex').slice(0, 16);
}

/**
 * The primary's `flagger-id` pod annotation. Flagger writes a random UUID on every promotion to
 * force a rollout; deriving it from the revision forces the same rollout (a config-only change
 * is a new revision) while a repeated promotion of the same revision writes nothing.
 */
export function flaggerId(revision: string): string {
  const h = createHash('sha256').update(`flagger-id/${revision}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
