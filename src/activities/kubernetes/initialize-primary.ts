// Bootstrap of a Canary (Flagger's Initialize plus the Kubernetes router's Services): everything
// §4 of the behaviour spec lists except the HTTPProxy. Safe to repeat: existing objects are
// compared and left alone when they already match.
import type * as k8s from '@kubernetes/client-node';
import { type CanarySettings } from '../../api/canary-settings';
import { type KubeClients } from '../../kubernetes/client';
import { canaryOwnerRef } from '../../kubernetes/metadata';
import { primaryName } from '../../kubernetes/primary';
import { revisionOf } from '../../kubernetes/revision';
import { upsertPrimaryConfigs } from './primary-configs';
import { createPrimaryDeployment } from './primary-deployment';
import { primaryHpaSpec, readTargetHpa, reconcilePrimaryHpa } from './primary-hpa';
import { reconcileService, wantedService } from './services';
import { readDeployment, requireTarget } from './target';
import { readTrackedConfigs, trackedKeys } from './tracked-configs';

export async function initializePrimary(kube: KubeClients, input: { settings: CanarySettings; canaryUid: string }): Promise<void> {
  const { settings } = input;
  const owner = canaryOwnerRef(settings.name, input.canaryUid);
  const target = await requireTarget(kube, settings);
  const hpa = await readTargetHpa(kube, settings);
  const containers = target.template.spec?.containers ?? [];
  for (const role of ['canary', 'primary'] as const) {
    await reconcileService(kube, settings, wantedService(settings, role, target.selector, containers), owner);
  }

  const primary = await readDeployment(kube, settings.namespace, primaryName(settings.targetRef.name));
  if (primary === undefined) {
    // The copies first: the primary's pods must find them when they start.
    const tracked = await readTrackedConfigs(kube, settings.namespace, target.template);
    await upsertPrimaryConfigs(kube, settings.namespace, tracked, owner);
    await createPrimaryDeployment(kube, {
      target: target.deployment, selector: target.selector, tracked: trackedKeys(tracked),
      revision: revisionOf(target.template, tracked.checksums), replicas: initialReplicas(target.deployment, hpa && primaryHpaSpec(settings, hpa)), owner,
    });
  }
  if (hpa !== undefined) await reconcilePrimaryHpa(kube, settings, hpa, owner, false);
  await reconcileService(kube, settings, wantedService(settings, 'apex', target.selector, containers), owner);
}

/**
 * Flagger starts the primary at the target's replicas (1 when the target is scaled to zero).
 * With an HPA the count is brought within the primary HPA's bounds at once, which the HPA would
 * otherwise do a moment later (and a target at zero starts the primary at the HPA's minimum).
 */
export function initialReplicas(target: k8s.V1Deployment, hpa: k8s.V2HorizontalPodAutoscalerSpec | undefined): number {
  const replicas = target.spec?.replicas ?? 0;
  if (hpa === undefined) return replicas > 0 ? replicas : 1;
  return Math.min(Math.max(replicas, hpa.minReplicas ?? 1), hpa.maxReplicas);
}
