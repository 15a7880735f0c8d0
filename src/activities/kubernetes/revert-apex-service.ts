// revertOnDeletion and an apex Service that was there before the Canary: Perch pointed its
// selector at the primary's pods, which are about to be garbage-collected with the Canary, so it
// is pointed back at the target's pods first. A Service the Canary created goes with the Canary.
import type * as k8s from '@kubernetes/client-node';
import { type CanarySettings } from '../../api/canary-settings';
import { canonicalJson } from '../../kubernetes/canonical-json';
import { readOptional } from '../../kubernetes/client';
import { controllerRefOf } from '../../kubernetes/metadata';
import { type KubeTargets, requireTarget } from './target';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Returns what was done, for the activity's log and the test; nothing when there is nothing to do. */
export async function revertApexService(deps: KubeTargets, input: { settings: CanarySettings }): Promise<string | undefined> {
  const { kube } = deps;
  const { settings } = input;
  const name = settings.service.apexName;
  const live = await readOptional(() => kube.core.readNamespacedService({ name, namespace: settings.namespace }));
  if (live === undefined || controllerRefOf(live.metadata)?.name === settings.name) return undefined;
  // The target is read only when the Service carries no record of what the user applied.
  const selector = appliedSelector(live) ?? (await targetSelector(deps, settings));
  if (canonicalJson(live.spec?.selector ?? {}) === canonicalJson(selector)) return undefined;
  await kube.core.replaceNamespacedService({ name, namespace: settings.namespace, body: { ...live, spec: { ...live.spec, selector } } });
  return `Service ${name}.${settings.namespace} selects ${canonicalJson(selector)} again`;
}

async function targetSelector(deps: KubeTargets, settings: CanarySettings): Promise<Record<string, string>> {
  const { selector } = await requireTarget(deps, settings);
  return { [selector.key]: selector.value };
}

/** The selector the user last applied with kubectl, when the Service carries that record. */
export function appliedSelector(service: k8s.V1Service): Record<string, string> | undefined {
  const applied = service.metadata?.annotations?.[LAST_APPLIED];
  if (applied === undefined) return undefined;
  try {
    const selector = (JSON.parse(applied) as { spec?: { selector?: unknown } }).spec?.selector;
    if (selector === null || typeof selector !== 'object' || Array.isArray(selector)) return undefined;
    const entries = Object.entries(selector);
    return entries.length > 0 && entries.every(([, v]) => typeof v === 'string') ? Object.fromEntries(entries) : undefined;
  } catch {
    return undefined;
  }
}
