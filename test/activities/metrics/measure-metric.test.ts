// A Canary metric backed by a MetricTemplate: looked up, rendered with Flagger's template names
// and variables, and run against the real Prometheus.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CanarySettings, type MetricSettings } from '../../../src/api/canary-settings';
import { canarySettings } from '../../../src/api/defaults';
import { installCrds } from '../../support/crds';
import { apply } from '../../support/manifests';
import { createNamespace, deleteNamespace } from '../../support/namespace';
import { seedCanary, TEST_INTERVALS } from '../../support/seed';
import { kubeConfig, stack } from '../../support/stack';
import { stackActivities } from '../stack-activities';

const { measureMetric } = stackActivities();

describe('measureMetric', () => {
  const kc = kubeConfig();
  let ns = '';
  let settings: CanarySettings;

  before(async () => {
    await installCrds(kc);
    ns = await createNamespace(kc, 'act-measure');
    settings = canarySettings(seedCanary(TEST_INTERVALS, ns));
    await apply(kc, [{
      apiVersion: 'flagger.app/v1beta1', kind: 'MetricTemplate', metadata: { name: 'answer', namespace: ns },
      // The value comes from the variable; the selector only shows (in the query) that names were rendered.
      spec: { provider: { type: 'prometheus', address: stack().prometheus }, query: '{{ variables.base }} + 0 * count(absent(nothing{ns="{{ namespace }}",svc="{{ service }}",i="{{ interval }}"}))' },
    } as never]);
  });
  after(async () => { await deleteNamespace(kc, ns); });

  const metric = (over: Partial<MetricSettings>): MetricSettings => ({
    name: 'answer', interval: '1m', intervalMs: 60_000, thresholdRange: { max: 100 }, templateVariables: {}, noData: 'fail', ...over,
  });

  it('renders the template with its variables and returns the value', async () => {
    const m = await measureMetric({ settings, metric: metric({ templateRef: { name: 'answer', namespace: ns }, templateVariables: { base: '42' } }) });
    assert.ok('value' in m, JSON.stringify(m));
    assert.equal(m.value, 42);
    assert.equal(m.source, 'template');
    assert.match(m.query ?? '', new RegExp(`ns="${ns}",svc="podinfo",i="1m"`));
  });

  it('explains a missing variable instead of querying', async () => {
    const m = await measureMetric({ settings, metric: metric({ templateRef: { name: 'answer', namespace: ns } }) });
    assert.ok('error' in m && /base/.test(m.error), JSON.stringify(m));
  });

  it('explains a missing template', async () => {
    const m = await measureMetric({ settings, metric: metric({ templateRef: { name: 'nope', namespace: ns } }) });
    assert.ok('error' in m && /nope/.test(m.error), JSON.stringify(m));
  });
});
