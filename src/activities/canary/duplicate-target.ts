// Two Canaries on one target would fight over its primary, Services and routes. The older one
// keeps the target and the younger one is refused, naming the older (Flagger only logs "Bad things
// will happen!" and lets both run). An older Canary that is invalid and never initialised has not
// touched the target, so it does not hold it. Pure.
import { type Canary } from '../../api/canary';
import { validateCanary } from '../../api/validation';
import { duplicateTarget } from '../../rollout/messages';
import { qualifiedName } from '../../rollout/names';

/** Why `canary` may not run, or undefined when no older Canary in its namespace has its target. */
export function duplicateTargetProblem(canary: Canary, others: readonly Canary[]): string | undefined {
  const older = others
    .filter((o) => o.metadata.namespace === canary.metadata.namespace && o.metadata.name !== canary.metadata.name)
    .filter((o) => o.metadata.deletionTimestamp === undefined && sameTarget(o, canary) && isOlder(o, canary) && holdsTarget(o))
    .sort((a, b) => age(a).localeCompare(age(b)))[0];
  if (older === undefined) return undefined;
  const ref = { name: canary.metadata.name, namespace: canary.metadata.namespace, targetName: canary.spec.targetRef.name };
  return `${duplicateTarget(ref)}: canary ${qualifiedName(older.metadata)} already targets it and keeps it`;
}

const kindOf = (c: Canary): string => c.spec?.targetRef?.kind || 'Deployment';

function sameTarget(a: Canary, b: Canary): boolean {
  return kindOf(a) === kindOf(b) && a.spec?.targetRef?.name === b.spec?.targetRef?.name;
}

/** A Canary that can run, or one that has initialised its target before (it may have become invalid since). */
function holdsTarget(c: Canary): boolean {
  return c.status?.lastAppliedSpec !== undefined || validateCanary(c).length === 0;
}

/** Creation time, then name: a total order, so of two Canaries exactly one is the older. */
const age = (c: Canary): string => `${c.metadata.creationTimestamp ?? ''}/${c.metadata.name}`;

function isOlder(a: Canary, b: Canary): boolean {
  return age(a) < age(b);
}
