// validateCanary / validateMetricTemplate / validateAlertProvider: the problems an operator sees.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AlertProvider } from '../../src/api/alert-provider';
import { type Canary } from '../../src/api/canary';
import { type MetricTemplate } from '../../src/api/metric-template';
import { promqlSyntaxProblem } from '../../src/api/promql-check';
import { type DeepPartial, crossNamespaceRefs, validateAlertProvider, validateCanary, validateMetricTemplate } from '../../src/api/validation';
import { seedCanary, withAnalysis } from './fixtures';

/** Asserts exactly one problem and that it matches `pattern`. */
function onlyProblem(canary: DeepPartial<Canary>, pattern: RegExp): void {
  const problems = validateCanary(canary);
  assert.equal(problems.length, 1, `expected one problem, got ${JSON.stringify(problems)}`);
  assert.match(problems[0] ?? '', pattern);
}

describe('crossNamespaceRefs (PERCH_NO_CROSS_NAMESPACE_REFS)', () => {
  it('names each templateRef and providerRef in another namespace, and only those', () => {
    const c = withAnalysis({
      metrics: [
        { name: 'a', templateRef: { name: 'a', namespace: 'monitoring' } },
        { name: 'b', templateRef: { name: 'b', namespace: 'test' } },
        { name: 'c', templateRef: { name: 'c' } },
      ],
      alerts: [{ name: 'x', providerRef: { name: 'slack', namespace: 'ops' } }],
    });
    assert.deepEqual(crossNamespaceRefs(c), [
      "spec.analysis.metrics[0].templateRef.namespace monitoring is not the Canary's namespace: cross-namespace references are disabled (PERCH_NO_CROSS_NAMESPACE_REFS)",
      "spec.analysis.alerts[0].providerRef.namespace ops is not the Canary's namespace: cross-namespace references are disabled (PERCH_NO_CROSS_NAMESPACE_REFS)",
    ]);
  });
});

describe('validateCanary', () => {
  it('accepts the seed Canary', () => {
    assert.deepEqual(validateCanary(seedCanary()), []);
  });

  it("accepts Flagger's A/B and stepWeights variants", () => {
    assert.deepEqual(validateCanary(withAnalysis({ iterations: 10, match: [{ headers: { 'x-canary': { exact: 'insider' } } }] })), []);
    assert.deepEqual(validateCanary(withAnalysis({ stepWeights: [1, 10, 50] })), []);
  });

  it('reports a missing spec, targetRef or target name', () => {
    assert.deepEqual(validateCanary({ metadata: { name: 'x' } }), ['spec is required']);
    const noTarget: DeepPartial<Canary> = seedCanary();
    delete noTarget.spec?.targetRef;
    onlyProblem(noTarget, /^spec\.targetRef is required$/);
    const noName: DeepPartial<Canary> = seedCanary();
    delete noName.spec?.targetRef?.name;
    onlyProblem(noName, /^spec\.targetRef\.name is required$/);
  });

  it('says which target kinds are supported', () => {
    const c = seedCanary();
    c.spec.targetRef.kind = 'Service';
    onlyProblem(c, /^spec\.targetRef\.kind Service is not supported yet: Perch manages Deployment and DaemonSet targets$/);
    c.spec.targetRef.kind = 'DaemonSet';
    assert.deepEqual(validateCanary(c), []);
  });

  it('refuses primaryScalerQueries beside an HPA, which has no queries to take them', () => {
    const hpa = seedCanary();
    hpa.spec.autoscalerRef = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'podinfo', primaryScalerQueries: { q: 'up' } };
    assert.deepEqual(validateCanary(hpa), [
      'spec.autoscalerRef.primaryScalerQueries applies to a KEDA ScaledObject only; a HorizontalPodAutoscaler has no queries: remove it',
    ]);
    const keda = seedCanary();
    keda.spec.autoscalerRef = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'podinfo', primaryScalerQueries: { q: 'up' } };
    assert.deepEqual(validateCanary(keda), []);
  });

  it('reports a missing service port', () => {
    const c: DeepPartial<Canary> = seedCanary();
    delete c.spec?.service?.port;
    onlyProblem(c, /^spec\.service\.port is required$/);
  });

  it('requires something that advances the run', () => {
    onlyProblem(withAnalysis({}), /^spec\.analysis must set stepWeight, stepWeights or iterations/);
    onlyProblem(withAnalysis({ stepWeight: 0 }), /must set stepWeight, stepWeights or iterations/);
  });

  it("rejects more than one step driver, as Flagger's CRD does", () => {
    onlyProblem(withAnalysis({ stepWeight: 5, iterations: 3 }), /^spec\.analysis sets iterations and stepWeight; set only one/);
  });

  it('checks weight ranges and the ladder order', () => {
    onlyProblem(withAnalysis({ maxWeight: 150 }, true), /^spec\.analysis\.maxWeight must be between 1 and 100, got 150$/);
    onlyProblem(withAnalysis({ stepWeight: 101 }), /^spec\.analysis\.stepWeight must be between 1 and 100, got 101$/);
    assert.ok(validateCanary(withAnalysis({ stepWeight: -5 })).includes('spec.analysis.stepWeight must be between 1 and 100, got -5'));
    onlyProblem(withAnalysis({ stepWeights: [10, 120] }), /^spec\.analysis\.stepWeights\[1\] must be between 1 and 100, got 120$/);
    onlyProblem(
      withAnalysis({ stepWeights: [10, 30, 20] }),
      /^spec\.analysis\.stepWeights must be strictly increasing, but 20 follows 30 at index 2$/,
    );
    onlyProblem(withAnalysis({ stepWeights: [10, 10] }), /strictly increasing/);
  });

  it('rejects a threshold below 1', () => {
    onlyProblem(withAnalysis({ threshold: 0 }, true), /^spec\.analysis\.threshold must be a whole number of at least 1, got 0$/);
  });

  it('reports every unparsable duration by path', () => {
    const c = seedCanary();
    c.spec.analysis.interval = 'often';
    c.spec.service!.timeout = '15 seconds';
    c.spec.service!.retries!.perTryTimeout = '5x';
    c.spec.analysis.metrics![0]!.interval = 'a while';
    c.spec.analysis.webhooks![1]!.timeout = 'soon';
    const problems = validateCanary(c);
    assert.deepEqual(
      problems.map((p) => p.split(' ')[0]),
      [
        'spec.service.timeout',
        'spec.service.retries.perTryTimeout',
        'spec.analysis.interval',
        'spec.analysis.metrics[0].interval',
        'spec.analysis.webhooks[1].timeout',
      ],
    );
    assert.match(problems[2] ?? '', /^spec\.analysis\.interval "often" is not a duration/);
  });

  it('requires a custom metric to have a templateRef or a query', () => {
    const c = seedCanary();
    c.spec.analysis.metrics!.push({ name: 'error-budget', thresholdRange: { max: 1 } });
    onlyProblem(c, /^spec\.analysis\.metrics\[2\] "error-budget" is not a built-in metric .* has neither templateRef nor query$/);
    c.spec.analysis.metrics![2]!.templateRef = { name: 'error-budget' };
    assert.deepEqual(validateCanary(c), []);
  });

  it('catches a threshold range no value can satisfy', () => {
    const c = seedCanary();
    c.spec.analysis.metrics![0]!.thresholdRange = { min: 99, max: 90 };
    onlyProblem(c, /^spec\.analysis\.metrics\[0\]\.thresholdRange\.min \(99\) is greater than max \(90\)/);
  });

  it('checks webhook URLs and types', () => {
    const c: DeepPartial<Canary> = seedCanary();
    const hooks = c.spec!.analysis!.webhooks!;
    delete hooks[0]!.url;
    hooks[1]!.url = 'flagger-loadtester.test/';
    hooks.push({ name: 'gate', url: 'http://gate/', type: 'before-rollout' as never });
    assert.deepEqual(validateCanary(c), [
      'spec.analysis.webhooks[0].url is required',
      'spec.analysis.webhooks[1].url "flagger-loadtester.test/" is not an absolute http(s) URL',
      'spec.analysis.webhooks[2].type "before-rollout" is not one of confirm-rollout, pre-rollout, rollout, confirm-promotion, post-rollout, event, rollback, confirm-traffic-increase',
    ]);
  });

  it('accepts mirroring, except with A/B testing, and checks mirrorWeight', () => {
    assert.deepEqual(validateCanary(withAnalysis({ mirror: true, mirrorWeight: 50 }, true)), []);
    onlyProblem(
      withAnalysis({ iterations: 5, mirror: true, match: [{ headers: { x: { exact: 'y' } } }] }),
      /^spec\.analysis\.mirror is not supported with A\/B testing/,
    );
    onlyProblem(withAnalysis({ mirrorWeight: 20 }, true), /^spec\.analysis\.mirrorWeight is set but spec\.analysis\.mirror is not true/);
    assert.deepEqual(validateCanary(withAnalysis({ mirror: true, mirrorWeight: 101 }, true)), [
      'spec.analysis.mirrorWeight must be a whole percentage between 1 and 100, got 101',
    ]);
  });

  it('refuses, naming it and its value, any provider but contour', () => {
    for (const provider of ['gatewayapi:v1', 'nginx'] as const) {
      const c = seedCanary();
      c.spec.provider = provider;
      assert.deepEqual(validateCanary(c), [
        `spec.provider ${provider} is not supported: Perch routes traffic with Contour's HTTPProxy only (set provider: contour, or leave it unset)`,
      ]);
    }
    const contour = seedCanary();
    contour.spec.provider = 'contour';
    assert.deepEqual(validateCanary(contour), []);
  });

  it('refuses the Service fields only other routers read, and headless', () => {
    const c: DeepPartial<Canary> = seedCanary();
    Object.assign(c.spec!.service!, { gateways: ['public'], headers: { request: { set: { a: 'b' } } }, headless: true, corsPolicy: {} });
    assert.deepEqual(validateCanary(c), [
      "spec.service.headless is not supported: a Service's clusterIP cannot become None once allocated, so Perch would have to delete and re-create the apex Service under traffic, and Contour routes to the pods the same way with or without it; remove it",
      "spec.service.gateways is not supported: only Flagger's Istio router reads it (its Contour router ignores it), and Perch refuses it rather than ignore it; remove it",
      "spec.service.headers is not supported: only Flagger's Istio and Gateway API router reads it (its Contour router ignores it), and Perch refuses it rather than ignore it; remove it",
    ]);
    const td = seedCanary();
    td.spec.service = { ...td.spec.service, port: 80, trafficDistribution: 'PreferClose' };
    assert.deepEqual(validateCanary(td), [], 'trafficDistribution is honoured on the three Services');
  });

  it('accepts only the path prefix of service.match', () => {
    const c: DeepPartial<Canary> = seedCanary();
    c.spec!.service!.match = [{ uri: { prefix: '/api', regex: '.*' } }, { uri: { prefix: '/b' } }] as never;
    assert.deepEqual(validateCanary(c), [
      "spec.service.match[0].uri.regex is not supported: Perch's Contour routes match only the path prefix (spec.service.match[0].uri.prefix)",
      "spec.service.match[1].uri is not supported: Perch's Contour routes match only the path prefix (spec.service.match[0].uri.prefix)",
    ]);
  });

  it('checks A/B matches: headers and query parameters only', () => {
    assert.deepEqual(validateCanary(withAnalysis({ iterations: 3, match: [{ queryParams: { variant: { exact: 'b' } } }] })), []);
    assert.deepEqual(
      validateCanary(withAnalysis({ iterations: 3, match: [{ sourceLabels: { app: 'x' } }, { queryParams: { v: { exact: 'a', regex: 'b' } } }] })),
      [
        "spec.analysis.match[0].sourceLabels is not supported: it matches the calling pod's labels inside a service mesh, and requests reaching Contour's Envoy carry no such thing",
        'spec.analysis.match[0] has no headers or queryParams: Contour matches requests on those only',
        'spec.analysis.match[1].queryParams.v needs exactly one non-empty exact, prefix or regex',
      ],
    );
  });

  it("checks session affinity: weighted traffic, a valid cookie, and Flagger's two-names rule", () => {
    assert.deepEqual(validateCanary(withAnalysis({ sessionAffinity: { cookieName: 'flagger-cookie', maxAge: 600 } }, true)), []);
    assert.deepEqual(validateCanary(withAnalysis({ iterations: 2, sessionAffinity: { cookieName: 'a b', primaryCookieName: 'a b', maxAge: -1 } })), [
      "spec.analysis.sessionAffinity needs weighted traffic (stepWeight or stepWeights): with iterations the canary's traffic moves all at once, so there is no split to keep a user on one side of",
      'spec.analysis.sessionAffinity.cookieName "a b" is not a valid cookie name',
      'spec.analysis.sessionAffinity.primaryCookieName "a b" is not a valid cookie name',
      'spec.analysis.sessionAffinity.primaryCookieName must differ from cookieName: one cookie cannot pin users to both the primary and the canary',
      'spec.analysis.sessionAffinity.maxAge must be a whole number of seconds (0 means the default, 86400), got -1',
    ]);
    onlyProblem(
      withAnalysis({ sessionAffinity: { cookieName: 'c', path: '/a;b' } }, true),
      /^spec\.analysis\.sessionAffinity\.path "\/a;b" cannot be written into a Set-Cookie header$/,
    );
  });

  it('checks alerts', () => {
    const c: DeepPartial<Canary> = withAnalysis({ alerts: [{ name: 'a', severity: 'loud' as never, providerRef: { name: '' } }] }, true);
    assert.deepEqual(validateCanary(c), [
      'spec.analysis.alerts[0].providerRef.name is required',
      'spec.analysis.alerts[0].severity must be one of info, warn, error, got "loud"',
    ]);
  });
});

const template = (spec: DeepPartial<MetricTemplate['spec']>): DeepPartial<MetricTemplate> => ({ metadata: { name: 't' }, spec });

describe('validateMetricTemplate', () => {
  const query = 'sum(rate(http_requests_total{namespace="{{ namespace }}",status!~"5.."}[{{ interval }}]))';

  it('accepts a Prometheus template', () => {
    assert.deepEqual(validateMetricTemplate(template({ provider: { type: 'prometheus', address: 'http://prometheus:9090' }, query })), []);
  });

  it('reports unknown and unsupported providers', () => {
    assert.deepEqual(validateMetricTemplate(template({ provider: { type: 'graphana' as never }, query })), [
      'spec.provider.type "graphana" is not a known metrics provider (prometheus, influxdb, datadog, externalmetrics, stackdriver, cloudwatch, newrelic, graphite, dynatrace, keptn, splunk)',
    ]);
    assert.deepEqual(validateMetricTemplate(template({ provider: { type: 'datadog' }, query: 'avg:x{*}' })), [
      'spec.provider.type datadog is not supported by Perch yet; only prometheus is',
    ]);
    assert.deepEqual(validateMetricTemplate(template({ query })), ['spec.provider is required']);
  });

  it('requires a query and checks its brackets and quotes', () => {
    assert.deepEqual(validateMetricTemplate(template({ provider: { type: 'prometheus' }, query: '  ' })), ['spec.query is required']);
    assert.deepEqual(validateMetricTemplate(template({ provider: { type: 'prometheus' }, query: 'sum(rate(x[1m])' })), [
      'spec.query has an unclosed "(" opened at character 4',
    ]);
  });
});

describe('promqlSyntaxProblem', () => {
  it("accepts Flagger's built-in Contour queries and template actions", () => {
    assert.equal(
      promqlSyntaxProblem(
        'histogram_quantile(0.99, sum(rate(envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=~"{{ namespace }}_{{ service }}-canary_[0-9a-zA-Z-]+", }[{{ interval }}])) by (le))',
      ),
      undefined,
    );
    assert.equal(promqlSyntaxProblem('sum(x{a="}"}) # a comment with ( and "'), undefined);
    assert.equal(promqlSyntaxProblem('x{a="{{ printf "%s" variables.x }}"}'), undefined);
  });

  it('names the first structural problem', () => {
    assert.equal(promqlSyntaxProblem('sum(x))'), 'has an unmatched ")" at character 7');
    assert.equal(promqlSyntaxProblem('sum(x{a="b"]'), 'has "]" at character 12 closing "{" opened at character 6');
    assert.equal(promqlSyntaxProblem('x{a="b}'), 'has an unterminated " string starting at character 5');
    assert.equal(promqlSyntaxProblem('x{a="{{ namespace "}'), 'has an unclosed template action "{{" at character 6');
  });
});

describe('validateAlertProvider', () => {
  const provider = (spec: DeepPartial<AlertProvider['spec']>): DeepPartial<AlertProvider> => ({ spec });

  it('accepts an address or a secret', () => {
    assert.deepEqual(validateAlertProvider(provider({ type: 'slack', address: 'https://hooks.slack.com/services/x' })), []);
    assert.deepEqual(validateAlertProvider(provider({ type: 'msteams', secretRef: { name: 'teams' } })), []);
  });

  it('reports an unknown type and a missing destination', () => {
    assert.deepEqual(validateAlertProvider(provider({ type: 'generic' as never })), [
      'spec.type must be one of slack, msteams, discord, rocket, gchat, got "generic"',
      'spec.address or spec.secretRef is required: Perch needs somewhere to send alerts',
    ]);
    assert.deepEqual(validateAlertProvider(provider({ type: 'discord', address: 'discord' })), [
      'spec.address "discord" is not an absolute http(s) URL',
    ]);
  });
});
