// The seed walkthrough's manifests (examples/seed/), as the demo and the end-to-end tests apply
// them: unchanged except, when asked, moved to another namespace and virtual host so scenarios can
// run side by side, and with shorter intervals so a rollout takes seconds, not minutes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { type Canary } from '../api/canary';

export const SEED_NAMESPACE = 'test';

/** From the build (dist/src/demo) to the repository's examples/seed. */
const seedDir = join(__dirname, '..', '..', '..', 'examples', 'seed');

export interface IntervalOverride {
  /** analysis.interval, e.g. "5s" in place of the seed's 30s. */
  analysis: string;
  /** Every metric's interval (the PromQL range), e.g. "15s" in place of 1m / 30s. */
  metrics: string;
}

/** The tests' and the fast demo's intervals. */
export const TEST_INTERVALS: IntervalOverride = { analysis: '5s', metrics: '15s' };

/**
 * The seed's manifests, moved to `namespace` when it is not the seed's own: the namespace, the
 * in-cluster names of the app (`podinfo-canary.test`; the load tester stays
 * `flagger-loadtester.test`) and the virtual host (`app.<namespace>.example.com`, since two roots
 * may not share an fqdn). Nothing else changes.
 */
export function seedManifests(file: string, namespace = SEED_NAMESPACE): k8s.KubernetesObject[] {
  let text = readFileSync(join(seedDir, file), 'utf8');
  if (namespace !== SEED_NAMESPACE) {
    text = text
      .replace(/namespace: test\b/g, `namespace: ${namespace}`)
      .replace(/(?<!flagger-loadtester)\.test\b/g, `.${namespace}`)
      .replace(/app\.example\.com/g, `app.${namespace}.example.com`);
  }
  return k8s.loadAllYaml(text) as k8s.KubernetesObject[];
}

export function seedHost(namespace = SEED_NAMESPACE): string {
  return namespace === SEED_NAMESPACE ? 'app.example.com' : `app.${namespace}.example.com`;
}

export function seedCanary(override: IntervalOverride = TEST_INTERVALS, namespace = SEED_NAMESPACE): Canary {
  const [canary] = seedManifests('podinfo-canary.yaml', namespace) as unknown as Canary[];
  if (!canary) throw new Error('the seed has no Canary');
  canary.spec.analysis.interval = override.analysis;
  for (const m of canary.spec.analysis.metrics ?? []) m.interval = override.metrics;
  return canary;
}
