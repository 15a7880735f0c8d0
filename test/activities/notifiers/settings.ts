// CanarySettings for notifier tests: the seed Canary (podinfo, Deployment podinfo, threshold 5,
// step 5 up to 50, deadline 600s) with the analysis and alerts a test needs.
import { type CanaryAnalysis } from '../../../src/api/canary-analysis';
import { type AlertSettings, type CanarySettings } from '../../../src/api/canary-settings';
import { canarySettings } from '../../../src/api/defaults';
import { seedCanary } from '../../api/fixtures';

export function seedSettings(edit: { namespace?: string; analysis?: Partial<CanaryAnalysis>; alerts?: AlertSettings[] } = {}): CanarySettings {
  const canary = seedCanary();
  if (edit.namespace) canary.metadata.namespace = edit.namespace;
  if (edit.analysis) {
    const { interval, threshold } = canary.spec.analysis;
    canary.spec.analysis = { interval, threshold, ...edit.analysis };
  }
  const settings = canarySettings(canary);
  if (edit.alerts) settings.analysis.alerts = edit.alerts;
  return settings;
}
