// The Flagger series as the status and metric activities feed them, read back from the registry's
// own exposition text: names, labels and values as a scrape would see them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CanaryTarget, CanaryMetrics } from '../../src/metrics/canary-metrics';
import { type StatusObservation } from '../../src/metrics/observation';
import { find, parseExposition, type Sample, sumOf, valueOf } from './exposition';

const ns = 'shop';
const canary: StatusObservation = { target: 'podinfo-app', strategy: 'canary' };

async function scrape(m: CanaryMetrics): Promise<Sample[]> {
  return parseExposition(await m.exposition());
}

describe('CanaryMetrics', () => {
  it('follows a promoted rollout: status, both weights, analysis time and one success', async () => {
    const m = new CanaryMetrics();
    m.observeStatus(ns, { phase: 'Initialized', canaryWeight: 0 }, canary, 'run/1');
    let s = await scrape(m);
    assert.equal(valueOf(s, 'flagger_canary_status', { name: 'podinfo-app', namespace: ns }), 1);
    assert.equal(valueOf(s, 'flagger_canary_weight', { workload: 'podinfo-app-primary', namespace: ns }), 100);
    assert.equal(valueOf(s, 'flagger_canary_weight', { workload: 'podinfo-app', namespace: ns }), 0);

    m.observeStatus(ns, { phase: 'Progressing', canaryWeight: 10 }, { ...canary, analysisSeconds: 0.2 }, 'run/2');
    m.observeStatus(ns, { canaryWeight: 20, failedChecks: 0 }, { ...canary, analysisSeconds: 0.3 }, 'run/3');
    s = await scrape(m);
    assert.equal(valueOf(s, 'flagger_canary_status', { name: 'podinfo-app', namespace: ns }), 0);
    assert.equal(valueOf(s, 'flagger_canary_weight', { workload: 'podinfo-app-primary', namespace: ns }), 80);
    assert.equal(valueOf(s, 'flagger_canary_weight', { workload: 'podinfo-app', namespace: ns }), 20);
    assert.equal(valueOf(s, 'flagger_canary_duration_seconds_count', { name: 'podinfo-app', namespace: ns }), 2);
    assert.ok(Math.abs(valueOf(s, 'flagger_canary_duration_seconds_sum', { name: 'podinfo-app', namespace: ns }) - 0.5) < 1e-9);
    assert.equal(valueOf(s, 'flagger_canary_duration_seconds_bucket', { name: 'podinfo-app', le: '0.25' }), 1, "Go's default buckets");
    assert.equal(
      find(s, 'flagger_canary_successes_total', { name: 'podinfo-app', deployment_strategy: 'canary' }).length,
      2,
      'both analysis statuses, at 0',
    );
    assert.equal(sumOf(s, 'flagger_canary_successes_total') + sumOf(s, 'flagger_canary_failures_total'), 0, 'no outcome before the rollout ends');

    m.observeStatus(ns, { phase: 'Promoting' }, canary, 'run/4');
    m.observeStatus(ns, { phase: 'Succeeded', canaryWeight: 0 }, { ...canary, analysis: 'completed' }, 'run/5');
    s = await scrape(m);
    assert.equal(valueOf(s, 'flagger_canary_status', { name: 'podinfo-app', namespace: ns }), 1);
    assert.equal(valueOf(s, 'flagger_canary_weight', { workload: 'podinfo-app-primary', namespace: ns }), 100);
    assert.equal(
      valueOf(s, 'flagger_canary_successes_total', {
        name: 'podinfo-app',
        namespace: ns,
        deployment_strategy: 'canary',
        analysis_status: 'completed',
      }),
      1,
    );
    assert.equal(sumOf(s, 'flagger_canary_successes_total'), 1);
    assert.equal(sumOf(s, 'flagger_canary_failures_total'), 0);
  });

  it('counts a failure with its strategy and analysis status, and Failed as 2', async () => {
    const m = new CanaryMetrics();
    m.observeStatus(ns, { phase: 'Failed', canaryWeight: 0 }, { target: 'web', strategy: 'ab-testing', analysis: 'skipped' });
    const s = await scrape(m);
    assert.equal(valueOf(s, 'flagger_canary_status', { name: 'web', namespace: ns }), 2);
    assert.equal(
      valueOf(s, 'flagger_canary_failures_total', { name: 'web', namespace: ns, deployment_strategy: 'ab-testing', analysis_status: 'skipped' }),
      1,
    );
    assert.equal(sumOf(s, 'flagger_canary_successes_total'), 0);
  });

  it('counts outcomes only on the write that ends a rollout', async () => {
    const m = new CanaryMetrics();
    // A Canary that starts out failed or succeeded (no rollout ended here) carries no `analysis`.
    m.observeStatus(ns, { phase: 'Failed' }, canary, 'a');
    m.observeStatus(ns, { phase: 'Succeeded' }, canary, 'b');
    m.observeStatus(ns, { phase: 'Progressing' }, { ...canary, analysis: 'completed' }, 'c');
    const s = await scrape(m);
    assert.equal(find(s, 'flagger_canary_failures_total').length, 2, 'the counters exist, at 0');
    assert.equal(sumOf(s, 'flagger_canary_failures_total') + sumOf(s, 'flagger_canary_successes_total'), 0);
  });

  it('observes a retried activity call once, and a new call again', async () => {
    const m = new CanaryMetrics();
    const end = { ...canary, analysis: 'completed' as const, analysisSeconds: 1 };
    m.observeStatus(ns, { phase: 'Succeeded' }, end, 'run-a/7');
    m.observeStatus(ns, { phase: 'Succeeded' }, end, 'run-a/7');
    let s = await scrape(m);
    assert.equal(valueOf(s, 'flagger_canary_successes_total', { name: 'podinfo-app', analysis_status: 'completed' }), 1);
    assert.equal(valueOf(s, 'flagger_canary_duration_seconds_count', { name: 'podinfo-app' }), 1);
    m.observeStatus(ns, { phase: 'Succeeded' }, end, 'run-b/7');
    s = await scrape(m);
    assert.equal(valueOf(s, 'flagger_canary_successes_total', { name: 'podinfo-app', analysis_status: 'completed' }), 2);
  });

  it('keeps the last value of each analysis metric under its name', async () => {
    const m = new CanaryMetrics();
    m.observeMetric(ns, 'podinfo-app', 'request-success-rate', 99.5);
    m.observeMetric(ns, 'podinfo-app', 'request-duration', 120);
    m.observeMetric(ns, 'podinfo-app', 'request-success-rate', 100);
    const s = await scrape(m);
    assert.equal(valueOf(s, 'flagger_canary_metric_analysis', { name: 'podinfo-app', namespace: ns, metric: 'request-success-rate' }), 100);
    assert.equal(valueOf(s, 'flagger_canary_metric_analysis', { name: 'podinfo-app', namespace: ns, metric: 'request-duration' }), 120);
  });

  it('reports its version and mesh provider in flagger_info', async () => {
    const m = new CanaryMetrics();
    m.setInfo('0.1.0', 'contour');
    m.setInfo('0.2.0', 'contour');
    assert.deepEqual(
      find(await scrape(m), 'flagger_info').map((x) => x.labels),
      [{ version: '0.2.0', mesh_provider: 'contour' }],
    );
  });

  it('counts Canaries per namespace at scrape time and keeps the last counts when listing fails', async () => {
    let answer: () => Promise<CanaryTarget[]> = () =>
      Promise.resolve([
        { namespace: 'a', target: 'x' },
        { namespace: 'a', target: 'y' },
        { namespace: 'b', target: 'z' },
      ]);
    const m = new CanaryMetrics({ list: () => answer(), listTimeoutMs: 100 });
    let s = await scrape(m);
    assert.equal(valueOf(s, 'flagger_canary_total', { namespace: 'a' }), 2);
    assert.equal(valueOf(s, 'flagger_canary_total', { namespace: 'b' }), 1);

    answer = () => Promise.reject(new Error('apiserver down'));
    s = await scrape(m);
    assert.equal(valueOf(s, 'flagger_canary_total', { namespace: 'a' }), 2, 'a failed list keeps the last value');

    answer = () => new Promise(() => undefined);
    s = await scrape(m);
    assert.equal(valueOf(s, 'flagger_canary_total', { namespace: 'b' }), 1, 'a list that never answers keeps the last value');

    answer = () => Promise.resolve([{ namespace: 'b', target: 'z' }]);
    s = await scrape(m);
    assert.deepEqual(
      find(s, 'flagger_canary_total').map((x) => [x.labels.namespace, x.value]),
      [['b', 1]],
      'a namespace without Canaries drops out',
    );
  });

  it('drops every series of a target whose Canary is gone, in the same scrape, and nothing else', async () => {
    let present: CanaryTarget[] = [
      { namespace: ns, target: 'kept' },
      { namespace: ns, target: 'gone' },
    ];
    const m = new CanaryMetrics({ list: () => Promise.resolve(present) });
    for (const target of ['kept', 'gone']) {
      const o: StatusObservation = { target, strategy: 'canary' };
      m.observeStatus(ns, { phase: 'Progressing', canaryWeight: 10 }, { ...o, analysisSeconds: 0.1 });
      m.observeMetric(ns, target, 'request-success-rate', 99);
      m.observeStatus(ns, { phase: 'Failed', canaryWeight: 0 }, { ...o, analysis: 'completed' });
      m.observeStatus(ns, { phase: 'Succeeded', canaryWeight: 0 }, { ...o, analysis: 'skipped' });
    }
    const series = (s: Sample[], target: string) => s.filter((x) => x.labels.name === target || x.labels.workload?.startsWith(target) === true);
    let s = await scrape(m);
    const before = series(s, 'gone').length;
    assert.ok(before >= 8, `series of 'gone' before: ${before}`);

    present = [{ namespace: ns, target: 'kept' }];
    s = await scrape(m);
    assert.deepEqual(series(s, 'gone'), []);
    assert.equal(series(s, 'kept').length, before, "'kept' keeps every series");
  });

  it('drops nothing outside the namespace its list covers', async () => {
    const m = new CanaryMetrics({ list: () => Promise.resolve([]), scope: 'mine' });
    m.observeStatus('other', { phase: 'Progressing' }, canary);
    m.observeStatus('mine', { phase: 'Progressing' }, canary);
    const s = await scrape(m);
    assert.deepEqual(
      find(s, 'flagger_canary_status').map((x) => x.labels.namespace),
      ['other'],
    );
  });
});
