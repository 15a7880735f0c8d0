// How Flagger names a rollout in its texts. Event texts mix the Canary's own name (`<c>`) and the
// target Deployment's name (`<t>`), so every message builder takes both through one reference.

export interface CanaryRef {
  /** metadata.name of the Canary. */
  readonly name: string;
  readonly namespace: string;
  /** spec.targetRef.name: the Deployment under rollout. */
  readonly targetName: string;
}

/** `<name>.<namespace>`: how Flagger's texts and Perch's logs name any namespaced object. */
export const qualifiedName = (o: { readonly name?: string; readonly namespace?: string }): string => `${o.name ?? ''}.${o.namespace ?? ''}`;

/** `<canary>.<namespace>`, e.g. "podinfo.test". */
export const canaryId = (ref: CanaryRef): string => qualifiedName(ref);

/** `<target>.<namespace>`, e.g. "podinfo.test". */
export const targetId = (ref: CanaryRef): string => `${ref.targetName}.${ref.namespace}`;

/** `<target>-primary.<namespace>`, e.g. "podinfo-primary.test". */
export const primaryId = (ref: CanaryRef): string => `${ref.targetName}-primary.${ref.namespace}`;
