// The worker's /metrics during a real seed rollout (own namespace), as Prometheus would scrape it:
// Flagger's series fed by the activities, the Canary count, the Temporal SDK's series from Core's
// exporter, and the probes of both processes. Deleting the Canary then drops its series.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../../src/api/canary';
import { freeLoopbackPort } from '../../src/metrics/sdk-metrics';
import { eventually } from '../support/stack';
import { dashboardSeries } from './dashboard-queries';
import { find, parseExposition, type Sample, sumOf, valueOf } from './exposition';
import { RoleEnvScenario } from './role-env';

const NS = 'metrics-test';
const target = { name: 'podinfo', namespace: NS };

describe('worker metrics and probes during a seed rollout', () => {
  let workerPort = 0;
  let watcherPort = 0;
  let s: RoleEnvScenario;

  const get = async (port: number, path: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
  };
  const scrape = async (): Promise<Sample[]> => {
    const res = await get(workerPort, '/metrics');
    assert.equal(res.status, 200);
    return parseExposition(res.body);
  };
  /** Scrapes until `check` passes (it throws with what it saw otherwise). */
  const scrapeUntil = (what: string, check: (samples: Sample[]) => void, timeoutMs = 60_000) =>
    eventually(what, timeoutMs, async () => {
      const samples = await scrape();
      check(samples);
      return samples;
    });

  before(async () => {
    workerPort = await freeLoopbackPort();
    watcherPort = await freeLoopbackPort();
    s = new RoleEnvScenario(NS, {
      worker: { PERCH_HTTP_ADDRESS: `127.0.0.1:${workerPort}` },
      watcher: { PERCH_HTTP_ADDRESS: `127.0.0.1:${watcherPort}` },
    });
    await s.given();
  });
  after(() => s.tearDown());

  it('answers /healthz and /readyz on the worker and on the watcher', async () => {
    for (const port of [workerPort, watcherPort]) {
      await eventually(`readyz on ${port}`, 60_000, async () => ((await get(port, '/readyz')).status === 200 ? true : undefined));
      assert.equal((await get(port, '/healthz')).status, 200);
    }
    assert.equal((await get(watcherPort, '/metrics')).status, 404);
  });

  it('counts the Canary and reports it Initialized, with the SDK series in the same scrape', async () => {
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
    const samples = await scrapeUntil('Initialized in the metrics', (x) => {
      assert.equal(valueOf(x, 'flagger_canary_total', { namespace: NS }), 1);
      assert.equal(valueOf(x, 'flagger_canary_status', target), 1);
      assert.equal(valueOf(x, 'flagger_canary_weight', { workload: 'podinfo-primary', namespace: NS }), 100);
      assert.equal(valueOf(x, 'flagger_canary_weight', { workload: 'podinfo', namespace: NS }), 0);
    });
    assert.equal(valueOf(samples, 'flagger_info', { mesh_provider: 'contour' }), 1);
    assert.ok(find(samples, 'temporal_worker_task_slots_available', { task_queue: s.perch.taskQueue }).length > 0, 'the SDK exporter is scraped too');
    assert.match((await get(workerPort, '/metrics')).type ?? '', /^text\/plain; version=0\.0\.4/);
  });

  it('shows the analysis running: status 0, both weights, the success rate measured', async () => {
    const started = await s.whenImageChanges('6.0.1');
    const progressing = await s.thenWeight(10, started);
    assert.equal(progressing.status?.phase, 'Progressing');
    await scrapeUntil('a progressing analysis in the metrics', (x) => {
      assert.equal(valueOf(x, 'flagger_canary_status', target), 0);
      const canary = valueOf(x, 'flagger_canary_weight', { workload: 'podinfo', namespace: NS });
      const primary = valueOf(x, 'flagger_canary_weight', { workload: 'podinfo-primary', namespace: NS });
      assert.ok(canary >= 5 && canary <= 50, `canary weight ${canary}`);
      assert.equal(primary + canary, 100);
      const rate = valueOf(x, 'flagger_canary_metric_analysis', { ...target, metric: 'request-success-rate' });
      assert.ok(rate >= 0 && rate <= 100, `success rate ${rate}`);
    });
  });

  it('counts one completed canary success after promotion, with the analysis durations', async () => {
    await s.thenPhase('Succeeded');
    const samples = await scrapeUntil('the promotion in the metrics', (x) => {
      assert.equal(valueOf(x, 'flagger_canary_successes_total', { ...target, deployment_strategy: 'canary', analysis_status: 'completed' }), 1);
    });
    assert.equal(sumOf(samples, 'flagger_canary_failures_total', target), 0);
    assert.equal(sumOf(samples, 'flagger_canary_successes_total', target), 1);
    assert.equal(valueOf(samples, 'flagger_canary_status', target), 1);
    assert.equal(valueOf(samples, 'flagger_canary_weight', { workload: 'podinfo-primary', namespace: NS }), 100);
    assert.equal(valueOf(samples, 'flagger_canary_weight', { workload: 'podinfo', namespace: NS }), 0);
    const intervals = valueOf(samples, 'flagger_canary_duration_seconds_count', target);
    assert.ok(intervals > 0, `analysis intervals observed: ${intervals}`);
    const latency = samples.filter((x) => x.name.startsWith('temporal_activity_execution_latency') && x.labels.task_queue === s.perch.taskQueue);
    assert.ok(latency.length > 0, 'temporal_activity_execution_latency for this task queue');
    assert.ok(find(samples, 'temporal_workflow_task_execution_latency_seconds_count', { task_queue: s.perch.taskQueue }).length > 0);
    // Every series the Grafana dashboard queries is served, but the SDK's failures-only counter.
    const served = new Set(samples.map((x) => x.name));
    const missing = dashboardSeries().filter((n) => !served.has(n) && n !== 'temporal_activity_execution_failed_total');
    assert.deepEqual(missing, [], 'series the dashboard queries but the worker does not serve');
  });

  it("drops the deleted Canary's series from the next scrape", async () => {
    await s.kc.makeApiClient(k8s.CustomObjectsApi).deleteNamespacedCustomObject({
      group: FLAGGER_GROUP,
      version: FLAGGER_VERSION,
      plural: CANARY_PLURAL,
      namespace: NS,
      name: 'podinfo',
    });
    await scrapeUntil('the Canary gone from the metrics', (x) => {
      const left = x.filter((m) => m.name.startsWith('flagger_canary') && m.labels.namespace === NS);
      assert.deepEqual(left, []);
    });
  });
});
