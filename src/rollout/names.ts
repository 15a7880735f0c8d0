// How Flagger names a rollout in its texts. Event texts mix the Canary's own name (`<c>`) and the
// target Deployment's name (`<t>`), so every message builder takes both through one reference.

export interface CanaryRef {
  /** metadata.name of the Canary. */
  readonly name: string;
  readonly namespace: string;
  /** spec.targetRef.name: the Deployment under rollout. */
  readonly targetName: string;
}

/** `<canary>.<namespace>`, e.g. "podinfo.test". */
export const canaryId = (ref: CanaryRef): string => `${ref.name}.${ref.namespace}`;

/** `<target>.<namespace>`, e.g. "podinfo.test". */
export const targetId = (ref: CanaryRef): string => `${ref.targetName}.${ref.namespace}`;

/** `<target>-primary.<namespace>`, e.g. "podinfo-primary.test". */
export const primaryId = (ref: CanaryRef): string => `${ref.targetName}-primary.${ref.namespace}`;
