// Canary objects for the api unit tests: the user's seed Canary, read from its YAML fixture, and a
// helper to derive variants of it without mutating the original.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadYaml } from '@kubernetes/client-node';
import { type Canary } from '../../src/api/canary';
import { type CanaryAnalysis } from '../../src/api/canary-analysis';

const seedPath = join(__dirname, '..', '..', '..', 'examples', 'seed', 'podinfo-canary.yaml');

export function seedCanary(): Canary {
  return loadYaml<Canary>(readFileSync(seedPath, 'utf8'));
}

/** The seed with `analysis` replaced by `analysis` (interval and threshold kept unless overridden). */
export function withAnalysis(analysis: CanaryAnalysis, keepSeed = false): Canary {
  const canary = seedCanary();
  const { interval, threshold } = canary.spec.analysis;
  canary.spec.analysis = keepSeed ? { ...canary.spec.analysis, ...analysis } : { interval, threshold, ...analysis };
  return canary;
}
