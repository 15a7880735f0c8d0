// Metadata Perch writes on the objects it generates: the owner reference that lets Kubernetes
// garbage-collect them with their Canary, and Flagger's rules for copied labels and annotations.
import type * as k8s from '@kubernetes/client-node';
import { CANARY_KIND, FLAGGER_API_VERSION } from '../api/canary';

/** Flux marks what it owns with keys containing this; copies must not look Flux-owned. */
export const TOOLKIT_MARKER = 'toolkit.fluxcd.io';

/** Asks Flux not to revert what Perch writes to generated Services (Flagger adds the same). */
export const FLUX_DISABLED_ANNOTATIONS: Readonly<Record<string, string>> = {
  'kustomize.toolkit.fluxcd.io/reconcile': 'disabled',
  'helm.toolkit.fluxcd.io/driftDetection': 'disabled',
};

/**
 * Annotations describing the target object itself, which would mislead on a copy: the Deployment
 * controller's revision counter and kubectl's record of what the user applied to the target.
 */
const NOT_COPIED = new Set(['deployment.kubernetes.io/revision', 'kubectl.kubernetes.io/last-applied-configuration']);

export function withoutToolkitKeys(meta: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta ?? {})) if (!k.includes(TOOLKIT_MARKER)) out[k] = v;
  return out;
}

/** Target annotations as copied onto the primary Deployment. */
export function copiedAnnotations(meta: Record<string, string> | undefined): Record<string, string> {
  const out = withoutToolkitKeys(meta);
  for (const k of NOT_COPIED) delete out[k];
  return out;
}

export function canaryOwnerRef(canaryName: string, canaryUid: string): k8s.V1OwnerReference {
  return {
    apiVersion: FLAGGER_API_VERSION,
    kind: CANARY_KIND,
    name: canaryName,
    uid: canaryUid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The object's owner references with `owner` as the controller; others stay, as non-controllers. */
export function withController(refs: k8s.V1OwnerReference[] | undefined, owner: k8s.V1OwnerReference): k8s.V1OwnerReference[] {
  const others = (refs ?? []).filter((r) => r.uid !== owner.uid).map((r) => (r.controller ? { ...r, controller: false } : r));
  return [owner, ...others];
}

/**
 * `desired` plus the live values of the annotations a copy never carries, which controllers keep
 * on the live object (the Deployment controller's revision counter): writing without them would
 * only make that controller write again.
 */
export function keepLiveAnnotations(desired: Record<string, string>, live: Record<string, string> | undefined): Record<string, string> {
  const out = { ...desired };
  for (const k of NOT_COPIED) {
    const v = live?.[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** The Canary controller reference of a generated object, for objects created later on its behalf. */
export function controllerRefOf(meta: k8s.V1ObjectMeta | undefined): k8s.V1OwnerReference | undefined {
  return meta?.ownerReferences?.find((r) => r.controller === true && r.kind === CANARY_KIND);
}
