// What to merge into a Canary's status for a requested update: the fields given, a fresh
// lastTransitionTime when anything changes, and the Promoted condition. Pure.
import { type CanaryCondition, type CanaryStatus, PROMOTED_CONDITION } from '../../api/canary';
import { promotedCondition } from './promoted-condition';

export type StatusPatch = Record<string, unknown>;

/** metav1.Time's wire form: RFC 3339 in whole seconds. */
export const kubeTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Undefined when the update changes nothing, so a repeated write costs no API call.
 * lastTransitionTime moves with every change (each step of a rollout, as the seed's
 * `kubectl get canaries` column shows under Flagger), but not on a write that changes nothing:
 * Flagger stamps it on every write, so a Failed canary's moves every tick.
 */
export function statusPatch(
  current: CanaryStatus,
  update: Partial<CanaryStatus>,
  targetKind: string,
  now: string,
  why?: string,
): StatusPatch | undefined {
  const patch: StatusPatch = {};
  for (const [key, value] of Object.entries(update)) {
    if (value !== undefined && !same(value, current[key as keyof CanaryStatus])) patch[key] = value;
  }
  const phase = update.phase;
  if (phase !== undefined && update.conditions === undefined) {
    const conditions = current.conditions ?? [];
    const promoted = promotedCondition(
      phase,
      targetKind,
      conditions.find((c) => c.type === PROMOTED_CONDITION),
      now,
      why,
    );
    if (promoted) patch.conditions = [...conditions.filter((c: CanaryCondition) => c.type !== PROMOTED_CONDITION), promoted];
  }
  const changed = Object.keys(patch).length > 0 || (phase !== undefined && !current.lastTransitionTime);
  if (changed && update.lastTransitionTime === undefined) patch.lastTransitionTime = now;
  // A merge patch merges maps key by key; a config no longer tracked must be deleted explicitly.
  if (patch.trackedConfigs !== undefined && current.trackedConfigs) {
    const removed = Object.keys(current.trackedConfigs).filter((k) => !(k in (update.trackedConfigs ?? {})));
    patch.trackedConfigs = { ...Object.fromEntries(removed.map((k) => [k, null])), ...update.trackedConfigs };
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
