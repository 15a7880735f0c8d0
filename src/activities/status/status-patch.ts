// What to merge into a Canary's status for a requested update: the fields given, a fresh
// lastTransitionTime when the phase changes, and the Promoted condition. Pure.
import { type CanaryCondition, type CanaryStatus, PROMOTED_CONDITION } from '../../api/canary';
import { promotedCondition } from './promoted-condition';

export type StatusPatch = Record<string, unknown>;

/** metav1.Time's wire form: RFC 3339 in whole seconds. */
export const kubeTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Undefined when the update changes nothing, so a repeated write costs no API call. Unlike
 * Flagger, which stamps lastTransitionTime on every status write (a Failed canary's changes every
 * tick), it moves only when the phase does, as its name says.
 */
export function statusPatch(
  current: CanaryStatus, update: Partial<CanaryStatus>, targetKind: string, now: string,
): StatusPatch | undefined {
  const patch: StatusPatch = {};
  for (const [key, value] of Object.entries(update)) {
    if (value !== undefined && !same(value, current[key as keyof CanaryStatus])) patch[key] = value;
  }
  const phase = update.phase;
  if (phase !== undefined && update.lastTransitionTime === undefined && (phase !== current.phase || !current.lastTransitionTime)) {
    patch.lastTransitionTime = now;
  }
  if (phase !== undefined && update.conditions === undefined) {
    const conditions = current.conditions ?? [];
    const promoted = promotedCondition(phase, targetKind, conditions.find((c) => c.type === PROMOTED_CONDITION), now);
    if (promoted) patch.conditions = [...conditions.filter((c: CanaryCondition) => c.type !== PROMOTED_CONDITION), promoted];
  }
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
