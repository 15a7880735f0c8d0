// What the target Deployment would run now, summarised as plain data for the workflow.
import { type KubeClients } from '../../kubernetes/client';
import { revisionOf } from '../../kubernetes/revision';
import { selectorLabelOf } from '../../kubernetes/selector';
import { readDeployment } from './target';
import { readTrackedConfigs } from './tracked-configs';

export interface TargetInfo {
  exists: boolean;
  /** revisionOf(pod template, tracked configs); '' when the Deployment does not exist. */
  revision: string;
  /** spec.replicas (the API server defaults it to 1). */
  replicas: number;
  /** The selector label key Flagger would use (app, name or app.kubernetes.io/name), if any. */
  selectorLabel?: string;
  /** `configmap/<name>` or `secret/<name>` → checksum: Canary `status.trackedConfigs`. */
  trackedConfigs: Record<string, string>;
  /** The first container's image, for messages and the UI. */
  image: string;
}

export async function inspectTarget(kube: KubeClients, input: { namespace: string; name: string }): Promise<TargetInfo> {
  const deployment = await readDeployment(kube, input.namespace, input.name);
  if (deployment === undefined) return { exists: false, revision: '', replicas: 0, trackedConfigs: {}, image: '' };
  const template = deployment.spec?.template ?? {};
  const tracked = await readTrackedConfigs(kube, input.namespace, template);
  const selector = selectorLabelOf(deployment);
  return {
    exists: true,
    revision: revisionOf(template, tracked.checksums),
    replicas: deployment.spec?.replicas ?? 1,
    ...(selector && { selectorLabel: selector.key }),
    trackedConfigs: tracked.checksums,
    image: template.spec?.containers[0]?.image ?? '',
  };
}
