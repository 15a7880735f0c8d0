// Flagger's Promote: the primary takes the target's pod template (reading `-primary` copies of
// the tracked configs, refreshed first), its rollout settings and, with an autoscaler, its scaling.
import { type CanarySettings } from '../../api/canary-settings';
import { controllerRefOf } from '../../kubernetes/metadata';
import { primaryName } from '../../kubernetes/primary';
import { revisionOf } from '../../kubernetes/revision';
import { upsertPrimaryConfigs } from './primary-configs';
import { readTargetScaler, reconcilePrimaryScaler } from './primary-scaler';
import { promoteWorkload } from './primary-workload';
import { type KubeTargets, readWorkload, requireTarget } from './target';
import { readTrackedConfigs, trackedKeys } from './tracked-configs';

/** What the promotion did: copied the revision asked for, or nothing because the target runs another. */
export type PromotionResult = { promoted: true } | { promoted: false; found: { revision: string; trackedConfigs: Record<string, string> } };

/**
 * Copies the target to the primary when the target's revision is `revision` (the one analysed);
 * otherwise copies nothing and answers the revision found. What is compared is what is copied: one
 * read of the target and its configs serves both.
 */
export async function promotePrimary(deps: KubeTargets, input: { settings: CanarySettings; revision?: string }): Promise<PromotionResult> {
  const { kube, flags } = deps;
  const { settings } = input;
  const { namespace } = settings;
  const target = await requireTarget(deps, settings);
  const name = primaryName(settings.targetRef.name);
  const primary = await readWorkload(kube, namespace, name, target.kind);
  // Retried: initialisation creates the primary, so its absence is a passing state or a deletion.
  if (primary === undefined) throw new Error(`${target.kind.toLowerCase()} ${name}.${namespace} get query error: not found`);
  // Copies created now (a config the new revision started to use) get the primary's owner.
  const owner = controllerRefOf(primary.metadata);
  const tracked = await readTrackedConfigs(kube, namespace, target.template, flags.configTracking);
  const revision = revisionOf(target.template, tracked.checksums);
  if (input.revision !== undefined && revision !== input.revision) {
    return { promoted: false, found: { revision, trackedConfigs: tracked.checksums } };
  }
  await upsertPrimaryConfigs(kube, namespace, tracked, owner, flags.includeLabelPrefix);
  await promoteWorkload(kube, settings, target.kind, primary, {
    target: target.workload,
    kind: target.kind,
    selector: target.selector,
    tracked: trackedKeys(tracked),
    revision,
    flags,
  });
  const scaler = await readTargetScaler(kube, settings);
  if (scaler !== undefined) await reconcilePrimaryScaler(kube, settings, scaler, owner, true);
  return { promoted: true };
}
