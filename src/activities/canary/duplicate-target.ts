// Two Canaries on one target would fight over its primary, Services and routes. As in Flagger, the
// older one keeps the target and the younger one is refused, naming the older. Pure.
import { type Canary } from '../../api/canary';
import { duplicateTarget } from '../../rollout/messages';

/** Why `canary` may not run, or undefined when no older Canary in its namespace has its target. */
export function duplicateTargetProblem(canary: Canary, others: readonly Canary[]): string | undefined {
  const older = others
    .filter((o) => o.metadata.namespace === canary.metadata.namespace && o.metadata.name !== canary.metadata.name)
    .filter((o) => o.metadata.deletionTimestamp === undefined && sameTarget(o, canary) && isOlder(o, canary))
    .sort((a, b) => age(a).localeCompare(age(b)))[0];
  if (older === undefined) return undefined;
  const ref = { name: canary.metadata.name, namespace: canary.metadata.namespace, targetName: canary.spec.targetRef.name };
  return `${duplicateTarget(ref)}: canary ${older.metadata.name}.${older.metadata.namespace} already targets it and keeps it`;
}

const kindOf = (c: Canary): string => c.spec?.targetRef?.kind || 'Deployment';

function sameTarget(a: Canary, b: Canary): boolean {
  return kindOf(a) === kindOf(b) && a.spec?.targetRef?.name === b.spec?.targetRef?.name;
}

/** Creation time, then name: a total order, so of two Canaries exactly one is the older. */
const age = (c: Canary): string => `${c.metadata.creationTimestamp ?? ''}/${c.metadata.name}`;

function isOlder(a: Canary, b: Canary): boolean {
  return age(a) < age(b);
}
