// The Grafana dashboard against the registry: it may only name Flagger series the worker registers
// (with a histogram's _bucket/_sum/_count), and every query goes through the data source variable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CanaryMetrics } from '../../src/metrics/canary-metrics';
import { dashboardSeries, loadDashboard } from './dashboard-queries';

describe('Grafana dashboard', () => {
  const d = loadDashboard();

  it('queries only the Flagger series the worker registers', async () => {
    const registered = new Set<string>();
    for (const m of await new CanaryMetrics().registry.getMetricsAsJSON()) {
      registered.add(m.name);
      if (m.type.toString() === 'histogram') for (const s of ['_bucket', '_sum', '_count']) registered.add(m.name + s);
    }
    const flagger = dashboardSeries(d).filter((n) => n.startsWith('flagger_'));
    assert.ok(flagger.length >= 7, `Flagger series used: ${flagger.join(', ')}`);
    assert.deepEqual(
      flagger.filter((n) => !registered.has(n)),
      [],
    );
    for (const required of [
      'flagger_canary_weight',
      'flagger_canary_status',
      'flagger_canary_duration_seconds_bucket',
      'flagger_canary_successes_total',
      'flagger_canary_failures_total',
    ]) {
      assert.ok(flagger.includes(required), `a panel shows ${required}`);
    }
    assert.ok(
      dashboardSeries(d).some((n) => n.startsWith('temporal_activity_execution_latency')),
      'a Temporal SDK activity latency panel',
    );
    assert.ok(
      dashboardSeries(d).some((n) => n.startsWith('temporal_workflow_task_execution_latency')),
      'a Temporal SDK workflow task panel',
    );
  });

  it('reads every panel and query variable from the chosen Prometheus', () => {
    assert.ok(d.templating.list.some((v) => v.name === 'datasource' && v.type === 'datasource'));
    for (const p of d.panels.filter((x) => x.type !== 'row')) {
      assert.equal(p.datasource?.uid, '${datasource}', `panel ${p.title ?? '?'}`);
      for (const t of p.targets ?? []) assert.equal(t.datasource?.uid, '${datasource}', `target of ${p.title ?? '?'}`);
    }
    for (const v of d.templating.list.filter((x) => x.type === 'query')) assert.equal(v.datasource?.uid, '${datasource}', v.name);
  });
});
