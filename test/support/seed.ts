// The seed walkthrough's resources, applied unchanged except for one documented test override:
// the analysis interval and the metric intervals are shortened so a rollout takes seconds, not
// minutes. Everything else (weights, threshold, webhooks, commands) is the seed's own.
import type * as k8s from '@kubernetes/client-node';
import { type Canary } from '../../src/api/canary';
import { apply, loadManifests } from './manifests';

export const SEED_NAMESPACE = 'test';

export interface IntervalOverride {
  /** analysis.interval, e.g. "5s" in place of the seed's 30s. */
  analysis: string;
  /** Every metric's interval (the PromQL range), e.g. "15s" in place of 1m / 30s. */
  metrics: string;
}

export const TEST_INTERVALS: IntervalOverride = { analysis: '5s', metrics: '15s' };

export function seedCanary(override: IntervalOverride = TEST_INTERVALS): Canary {
  const [canary] = loadManifests('seed/podinfo-canary.yaml') as unknown as Canary[];
  if (!canary) throw new Error('seed canary fixture is empty');
  canary.spec.analysis.interval = override.analysis;
  for (const m of canary.spec.analysis.metrics ?? []) m.interval = override.metrics;
  return canary;
}

export async function applySeed(kc: k8s.KubeConfig, canary: Canary = seedCanary()): Promise<void> {
  await apply(kc, loadManifests('seed/podinfo.yaml'));
  await apply(kc, [canary as unknown as k8s.KubernetesObject]);
  await apply(kc, loadManifests('seed/podinfo-ingress.yaml'));
}
