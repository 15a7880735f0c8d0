// The fields every alert carries under its message: the cluster's name when one is set (Flagger's
// `-cluster-name`), Flagger's "metadata" fields (target, failed checks threshold, progress deadline,
// traffic routing), plus Perch's optional Detail.
import { type CanarySettings } from '../../api/canary-settings';
import { type AlertField } from './notifier';

export function alertFields(settings: CanarySettings, detail?: string, clusterName?: string): AlertField[] {
  const fields: AlertField[] = [
    ...(clusterName ? [{ name: 'Cluster', value: clusterName }] : []),
    { name: 'Target', value: `${settings.targetRef.kind}/${settings.targetRef.name}.${settings.namespace}` },
    { name: 'Failed checks threshold', value: String(settings.analysis.threshold) },
    { name: 'Progress deadline', value: `${settings.progressDeadlineSeconds}s` },
  ];
  const routing = trafficRouting(settings);
  if (routing !== undefined) fields.push({ name: 'Traffic routing', value: routing });
  if (detail) fields.push({ name: 'Detail', value: detail });
  return fields;
}

/**
 * Flagger's order of tests: a step weight, a ladder, header matching, iterations. Unlike Flagger,
 * a ladder's max is the effective one (its last step), not a `maxWeight` the ladder ignores.
 */
export function trafficRouting(settings: CanarySettings): string | undefined {
  const a = settings.analysis;
  if (a.stepWeight > 0) return `Weight step: ${a.stepWeight} max: ${a.maxWeight}`;
  if (a.stepWeights.length > 0) return `Weight steps: ${a.stepWeights.join(',')} max: ${a.maxWeight}`;
  if (a.match.length > 0) return 'A/B Testing';
  if (a.iterations > 0) return 'Blue/Green';
  return undefined;
}
