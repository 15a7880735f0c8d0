// measureMetric, built as the worker builds it, against real Prometheus servers: MetricTemplates
// looked up, rendered with Flagger's template names and variables, sent with their headers,
// credentials and TLS setting; failure texts as the analysis shows them (the reason once, the
// template named); and an empty answer from a Prometheus that itself has no fresh data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Measured } from '../../../src/activities/metrics';
import { type CanarySettings, type MetricSettings } from '../../../src/api/canary-settings';
import { canarySettings } from '../../../src/api/defaults';
import { type MetricProvider } from '../../../src/api/metric-template';
import { evaluateMetric } from '../../../src/rollout/verdict';
import { installCrds } from '../../support/crds';
import { apply } from '../../support/manifests';
import { createNamespace, deleteNamespace } from '../../support/namespace';
import { seedCanary, TEST_INTERVALS } from '../../support/seed';
import { eventually, kubeConfig, stack } from '../../support/stack';
import { closedPort } from '../notifiers/forward-proxy';
import { stackActivities } from '../stack-activities';
import { PrivatePrometheus } from './private-prometheus';
import { PrometheusGateway, TENANT_HEADER } from './prometheus-gateway';

const { checkMetricProviders, measureMetric } = stackActivities();

const metric = (over: Partial<MetricSettings>): MetricSettings => ({
  name: 'answer',
  interval: '1m',
  intervalMs: 60_000,
  thresholdRange: { max: 100 },
  templateVariables: {},
  noData: 'fail',
  ...over,
});

/** The Event text the analysis makes of a measurement (src/rollout/verdict.ts), as the workflow does. */
function eventText(settings: CanarySettings, m: MetricSettings, measured: Measured): string {
  const verdict = evaluateMetric(
    { name: m.name, source: measured.source, thresholdRange: m.thresholdRange, query: measured.query, noData: m.noData },
    'error' in measured ? { error: measured.error } : { value: measured.value },
    { canary: { name: settings.name, namespace: settings.namespace, targetName: settings.targetRef.name }, provider: 'contour' },
  );
  return verdict.message;
}

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

describe('measureMetric', () => {
  const kc = kubeConfig();
  const gateway = new PrometheusGateway(stack().prometheus, 'team-a');
  let ns = '';
  let settings: CanarySettings;

  const template = (name: string, provider: Partial<MetricProvider>, query = 'vector(7)') => ({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'MetricTemplate',
    metadata: { name, namespace: ns },
    spec: { provider: { type: 'prometheus', address: stack().prometheus, ...provider }, query },
  });
  const secret = (name: string, stringData: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: ns },
    stringData,
  });
  const fromTemplate = (name: string, over: Partial<MetricSettings> = {}) =>
    measureMetric({ settings, metric: metric({ name: 'error-rate', templateRef: { name, namespace: ns }, ...over }) });

  before(async () => {
    await installCrds(kc);
    ns = await createNamespace(kc, 'act-measure');
    settings = canarySettings(seedCanary(TEST_INTERVALS, ns));
    await gateway.start();
    const tenant = { address: gateway.url, headers: { [TENANT_HEADER]: ['team-a'] }, insecureSkipVerify: true };
    await apply(kc, [
      // The value comes from the variable; the selector only shows (in the query) that names were rendered.
      template('answer', {}, '{{ variables.base }} + 0 * count(absent(nothing{ns="{{ namespace }}",svc="{{ service }}",i="{{ interval }}"}))'),
      template('broken', {}, 'sum(rate(envoy_cluster_upstream_rq[1m]'),
      template('tenant', tenant),
      template('tenant-verified', { ...tenant, insecureSkipVerify: false }),
      template('tenant-headerless', { address: gateway.url, insecureSkipVerify: true }),
      secret('token', { token: 's3cret' }),
      template('tenant-token', { ...tenant, secretRef: { name: 'token' } }),
      secret('basic', { username: 'perch', password: 'pw' }),
      template('tenant-basic', { ...tenant, secretRef: { name: 'basic' } }),
      secret('half', { username: 'perch' }),
      template('half-credentials', { secretRef: { name: 'half' } }),
      template('datadog', { type: 'datadog' }),
    ]);
  });
  after(async () => {
    await gateway.stop();
    await deleteNamespace(kc, ns);
  });

  it('renders the template with its variables and returns the value', async () => {
    const m = await measureMetric({
      settings,
      metric: metric({ templateRef: { name: 'answer', namespace: ns }, templateVariables: { base: '42' } }),
    });
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

  describe('checkMetricProviders (at initialisation)', () => {
    const withMetrics = (metrics: MetricSettings[], metricsServer?: string): CanarySettings => ({
      ...settings,
      ...(metricsServer !== undefined && { metricsServer }),
      analysis: { ...settings.analysis, metrics },
    });

    it("finds the built-in metrics' Prometheus and each template's provider online", async () => {
      const metrics = [metric({ name: 'request-success-rate' }), metric({ name: 'tenant', templateRef: { name: 'tenant', namespace: ns } })];
      assert.equal(await checkMetricProviders({ settings: withMetrics(metrics) }), undefined);
    });

    it('names each provider that is not, and why', async () => {
      const port = await closedPort();
      const metrics = [
        metric({ name: 'request-success-rate' }),
        metric({ name: 'headerless', templateRef: { name: 'tenant-headerless', namespace: ns } }),
        metric({ name: 'gone', templateRef: { name: 'nope', namespace: ns } }),
      ];
      const problem = (await checkMetricProviders({ settings: withMetrics(metrics, `http://127.0.0.1:${port}`) })) ?? '';
      assert.match(problem, new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
      assert.match(problem, new RegExp(`Metric template tenant-headerless\\.${ns}: `));
      assert.match(problem, /nope/);
    });
  });

  describe('failure texts', () => {
    it("say Prometheus's reason once and name the MetricTemplate", async () => {
      const m = metric({ name: 'error-rate', templateRef: { name: 'broken', namespace: ns } });
      const text = eventText(settings, m, await measureMetric({ settings, metric: m }));
      assert.match(text, new RegExp(`^Metric query failed for error-rate: Metric template broken\\.${ns}: invalid parameter "query": .*parse error`));
      assert.equal(occurrences(text, 'query failed'), 1, text);
    });

    it('say the reason once for a built-in metric', async () => {
      const port = await closedPort();
      const unreachable = { ...settings, metricsServer: `http://127.0.0.1:${port}` };
      const m = metric({ name: 'request-success-rate', thresholdRange: { min: 99 } });
      const text = eventText(unreachable, m, await measureMetric({ settings: unreachable, metric: m }));
      assert.match(
        text,
        new RegExp(`^Prometheus query failed: running query failed: request failed: GET http://127\\.0\\.0\\.1:${port}/api/v1/query: .*ECONNREFUSED`),
      );
      assert.equal(occurrences(text, 'query failed:'), 2, text); // Flagger's own "query failed: running query failed:"
      assert.equal(occurrences(text, 'Prometheus query failed'), 1, text);
    });

    it('name a provider type Perch cannot query', async () => {
      const m = await fromTemplate('datadog');
      assert.deepEqual(m, {
        source: 'template',
        error: `Metric template datadog.${ns} provider datadog error: provider type datadog is not supported by Perch; supported: prometheus`,
      });
    });
  });

  describe("a template's provider settings", () => {
    it('sends its headers, and skips verifying a self-signed certificate with insecureSkipVerify', async () => {
      assert.deepEqual(await fromTemplate('tenant'), { source: 'template', query: 'vector(7)', value: 7 });
    });

    it('refuses the self-signed certificate without insecureSkipVerify', async () => {
      const m = await fromTemplate('tenant-verified');
      assert.ok(
        'error' in m && m.error.startsWith(`Metric template tenant-verified.${ns}: request failed: GET ${gateway.url}/api/v1/query: `),
        JSON.stringify(m),
      );
      assert.match(m.error, /self-signed certificate/);
    });

    it("gets the gateway's refusal without the header", async () => {
      const m = await fromTemplate('tenant-headerless');
      assert.deepEqual(m, {
        source: 'template',
        query: 'vector(7)',
        error: `Metric template tenant-headerless.${ns}: error response: Status 401 Unauthorized: no ${TENANT_HEADER}: team-a`,
      });
    });

    it("sends the Secret's token as a bearer token, or its username and password as basic auth", async () => {
      const before = gateway.authorizations.length;
      assert.ok('value' in (await fromTemplate('tenant-token')));
      assert.ok('value' in (await fromTemplate('tenant-basic')));
      assert.deepEqual(gateway.authorizations.slice(before), ['Bearer s3cret', `Basic ${Buffer.from('perch:pw').toString('base64')}`]);
    });

    it('says which credential a Secret lacks, as Flagger does', async () => {
      assert.deepEqual(await fromTemplate('half-credentials'), {
        source: 'template',
        error: `Metric template half-credentials.${ns} provider prometheus error: prometheus credentials does not contain a password`,
      });
    });
  });

  describe('an empty answer', () => {
    const absent = 'perch_metric_that_does_not_exist{job="nowhere"}';
    const inline = (over: Partial<MetricSettings>) => metric({ name: 'absent', query: absent, ...over });

    it('is "no values found" from a Prometheus that scrapes its targets', async () => {
      const m = inline({ interval: '1s', intervalMs: 1000 });
      const measured = await measureMetric({ settings, metric: m });
      assert.deepEqual(measured, { source: 'inline', query: absent, value: null });
      assert.equal(eventText(settings, m, measured), `Halt advancement no values found for metric: absent; query: ${absent}`);
    });

    describe('from a Prometheus without fresh data', () => {
      let prometheus: PrivatePrometheus;
      let fresh: CanarySettings;

      before(async () => {
        prometheus = new PrivatePrometheus(`127.0.0.1:${await closedPort()}`, '1s');
        await prometheus.start();
        fresh = { ...settings, metricsServer: prometheus.url };
      });
      after(() => prometheus.stop());

      it("says it has just started, when that was within the metric's interval", async () => {
        const m = inline({ interval: '10m', intervalMs: 600_000 });
        const measured = await measureMetric({ settings: fresh, metric: m });
        assert.ok('error' in measured, JSON.stringify(measured));
        assert.match(
          eventText(fresh, m, measured),
          /^Prometheus query failed for absent: Prometheus has no fresh data: it started \d+(\.\d+)?s ago, less than the metric's interval 10m$/,
        );
      });

      it('says none of its targets is up: not scraped yet after its start, then with the last scrape error', async () => {
        const m = inline({ interval: '1s', intervalMs: 1000 });
        const seen = new Set<string>();
        await eventually('a scrape of the closed port has failed', 30_000, async () => {
          const x = await measureMetric({ settings: fresh, metric: m });
          if ('error' in x) seen.add(x.error.replace(/started \S+ ago/, 'started … ago'));
          return 'error' in x && x.error.includes('(1 down)') ? x : undefined;
        });
        const reasons = [...seen];
        assert.match(
          reasons.at(-1) ?? '',
          /^Prometheus has no fresh data: none of its 1 scrape target\(s\) is up \(1 down\); last scrape error: .*connection refused/,
        );
        assert.ok(
          reasons.every((r) => r.startsWith('Prometheus has no fresh data: ')),
          reasons.join('\n'),
        );
      });

      it('is left to the noData policy when one is set', async () => {
        for (const noData of ['pass', 'hold'] as const) {
          assert.deepEqual(await measureMetric({ settings: fresh, metric: inline({ noData }) }), { source: 'inline', query: absent, value: null });
        }
      });
    });
  });
});
