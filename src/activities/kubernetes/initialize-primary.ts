// Bootstrap of a Canary (Flagger's Initialize plus the Kubernetes router's Services): everything
// §4 of the behaviour spec lists except the HTTPProxy. Safe to repeat: existing objects are
// compared and left alone when they already match.
import type * as k8s from '@kubernetes/client-node';
import { type CanarySettings } from '../../api/canary-settings';
import { canaryOwnerRef } from '../../kubernetes/metadata';
import { primaryName } from '../../kubernetes/primary';
import { revisionOf } from '../../kubernetes/revision';
import { specReplicas } from '../../kubernetes/workload';
import { upsertPrimaryConfigs } from './primary-configs';
import { primaryBounds, readTargetScaler, reconcilePrimaryScaler } from './primary-scaler';
import { createPrimary } from './primary-workload';
import { reconcileService, wantedService } from './services';
import { type KubeTargets, invalidTarget, readWorkload, requireTarget } from './target';
import { readTrackedConfigs, trackedKeys } from './tracked-configs';

export async function initializePrimary(deps: KubeTargets, input: { settings: CanarySettings; canaryUid: string }): Promise<void> {
  const { kube, flags } = deps;
  const { settings } = input;
  const owner = canaryOwnerRef(settings.name, input.canaryUid);
  const target = await requireTarget(deps, settings);
  if (target.kind === 'DaemonSet') requireRollingUpdate(target.workload as k8s.V1DaemonSet, settings);
  const scaler = await readTargetScaler(kube, settings);
  const containers = target.template.spec?.containers ?? [];
  for (const role of ['canary', 'primary'] as const) {
    await reconcileService(kube, settings, wantedService(settings, role, target.selector, containers), owner);
  }

  const primary = await readWorkload(kube, settings.namespace, primaryName(settings.targetRef.name), target.kind);
  if (primary === undefined) {
    // The copies first: the primary's pods must find them when they start.
    const tracked = await readTrackedConfigs(kube, settings.namespace, target.template, flags.configTracking);
    await upsertPrimaryConfigs(kube, settings.namespace, tracked, owner, flags.includeLabelPrefix);
    await createPrimary(kube, target.kind, {
      target: target.workload,
      kind: target.kind,
      selector: target.selector,
      tracked: trackedKeys(tracked),
      flags,
      revision: revisionOf(target.template, tracked.checksums),
      owner,
      replicas: initialReplicas(specReplicas(target.workload) ?? 0, scaler && primaryBounds(settings, scaler)),
    });
  }
  if (scaler !== undefined) await reconcilePrimaryScaler(kube, settings, scaler, owner, false);
  await reconcileService(kube, settings, wantedService(settings, 'apex', target.selector, containers), owner);
}

/** Flagger refuses a DaemonSet it could not roll out step by step. */
function requireRollingUpdate(target: k8s.V1DaemonSet, settings: CanarySettings): void {
  const type = target.spec?.updateStrategy?.type;
  if (type !== undefined && type !== 'RollingUpdate') {
    throw invalidTarget(`daemonset ${settings.targetRef.name}.${settings.namespace} must have RollingUpdate strategy but have ${type}`);
  }
}

/**
 * Flagger starts the primary at the target's replicas (1 when the target is scaled to zero).
 * With an autoscaler the count is brought within the primary copy's bounds at once, which the
 * autoscaler would otherwise do a moment later (and a target at zero starts the primary at its minimum).
 */
export function initialReplicas(replicas: number, bounds: { min: number; max: number } | undefined): number {
  if (bounds === undefined) return replicas > 0 ? replicas : 1;
  return Math.min(Math.max(replicas, bounds.min, 1), bounds.max);
}
