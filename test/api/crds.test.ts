// The CRDs in deploy/crds: identity, printer columns, structural soundness, agreement with the
// TypeScript enums, and that the user's seed Canary (and Flagger's documented variants) are admitted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadYaml } from '@kubernetes/client-node';
import { ALERT_PROVIDER_TYPES } from '../../src/api/alert-provider';
import { ALERT_SEVERITIES, CANARY_PHASES, PROVIDERS, TARGET_KINDS, WEBHOOK_TYPES } from '../../src/api/canary';
import { METRIC_PROVIDER_TYPES } from '../../src/api/metric-template';
import { type Schema, checkAgainstSchema, structuralProblems } from './schema-check';

interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  priority?: number;
}
interface Crd {
  metadata: { name: string };
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string; singular: string; listKind: string; categories?: string[] };
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      subresources?: { status?: object };
      additionalPrinterColumns?: PrinterColumn[];
      schema: { openAPIV3Schema: Schema };
    }[];
  };
}

const root = join(__dirname, '..', '..', '..');
// loadYaml turns kinds it knows (a CRD among them) into client-node model classes whose keys are
// renamed (x-kubernetes-* becomes x_kubernetes_*); one level of nesting keeps the document plain data.
const read = <T>(path: string): T => loadYaml<{ doc: T }>(`doc:\n${readFileSync(join(root, path), 'utf8').replace(/^/gm, '  ')}`).doc;
const crds = {
  canary: read<Crd>('deploy/crds/canary.yaml'),
  metricTemplate: read<Crd>('deploy/crds/metrictemplate.yaml'),
  alertProvider: read<Crd>('deploy/crds/alertprovider.yaml'),
};
const version = (crd: Crd) => crd.spec.versions[0]!;
const schemaOf = (crd: Crd) => version(crd).schema.openAPIV3Schema;
const seed = read<Record<string, unknown>>('examples/seed/podinfo-canary.yaml');

/** Follows `.properties.a.properties.b…`, and `items` for a `[]` segment. */
function at(schema: Schema, path: string): Schema {
  let node = schema;
  for (const part of path.split('.')) {
    const next = part === '[]' ? node.items : node.properties?.[part];
    assert.ok(next, `schema has no ${path} (stopped at ${part})`);
    node = next;
  }
  return node;
}

describe('CRD identity', () => {
  for (const [key, crd] of Object.entries(crds)) {
    it(`${key}: flagger.app/v1beta1, namespaced, category all, status subresource`, () => {
      assert.equal(crd.spec.group, 'flagger.app');
      assert.equal(crd.metadata.name, `${crd.spec.names.plural}.flagger.app`);
      assert.equal(crd.spec.scope, 'Namespaced');
      assert.deepEqual(crd.spec.names.categories, ['all']);
      assert.equal(crd.spec.versions.length, 1);
      const v = version(crd);
      assert.deepEqual([v.name, v.served, v.storage], ['v1beta1', true, true]);
      assert.deepEqual(v.subresources?.status, {});
    });

    it(`${key}: is a structural schema`, () => {
      assert.deepEqual(structuralProblems(schemaOf(crd)), []);
    });
  }

  it('names the kinds and plurals Flagger uses', () => {
    assert.deepEqual(
      Object.values(crds).map((c) => [c.spec.names.kind, c.spec.names.plural]),
      [
        ['Canary', 'canaries'],
        ['MetricTemplate', 'metrictemplates'],
        ['AlertProvider', 'alertproviders'],
      ],
    );
  });
});

describe('printer columns', () => {
  it('Canary shows the same columns as Flagger', () => {
    const columns = version(crds.canary).additionalPrinterColumns?.map((c) => [c.name, c.type, c.jsonPath, c.priority ?? 0]);
    assert.deepEqual(columns, [
      ['Status', 'string', '.status.phase', 0],
      ['Weight', 'string', '.status.canaryWeight', 0],
      ['Suspended', 'boolean', '.spec.suspend', 1],
      ['FailedChecks', 'string', '.status.failedChecks', 1],
      ['Interval', 'string', '.spec.analysis.interval', 1],
      ['Mirror', 'boolean', '.spec.analysis.mirror', 1],
      ['StepWeight', 'string', '.spec.analysis.stepWeight', 1],
      ['StepWeights', 'string', '.spec.analysis.stepWeights', 1],
      ['MaxWeight', 'string', '.spec.analysis.maxWeight', 1],
      ['LastTransitionTime', 'string', '.status.lastTransitionTime', 0],
    ]);
  });

  it('MetricTemplate shows Provider and AlertProvider shows Type', () => {
    assert.deepEqual(version(crds.metricTemplate).additionalPrinterColumns, [{ name: 'Provider', type: 'string', jsonPath: '.spec.provider.type' }]);
    assert.deepEqual(version(crds.alertProvider).additionalPrinterColumns, [{ name: 'Type', type: 'string', jsonPath: '.spec.type' }]);
  });
});

describe('enums agree with the TypeScript types', () => {
  const canary = schemaOf(crds.canary);
  const cases: [string, Schema, readonly string[]][] = [
    ['spec.provider', at(canary, 'spec.provider'), PROVIDERS],
    ['spec.targetRef.kind', at(canary, 'spec.targetRef.kind'), TARGET_KINDS],
    ['webhook type', at(canary, 'spec.analysis.webhooks.[].type'), WEBHOOK_TYPES],
    ['alert severity', at(canary, 'spec.analysis.alerts.[].severity'), ALERT_SEVERITIES],
    ['status.phase', at(canary, 'status.phase'), CANARY_PHASES],
    ['metric provider', at(schemaOf(crds.metricTemplate), 'spec.provider.type'), METRIC_PROVIDER_TYPES],
    ['alert provider', at(schemaOf(crds.alertProvider), 'spec.type'), ALERT_PROVIDER_TYPES],
  ];
  for (const [name, schema, values] of cases) {
    it(name, () => assert.deepEqual(schema.enum, [...values]));
  }
});

describe('Canary schema admits the seed unchanged', () => {
  const schema = schemaOf(crds.canary);

  it('accepts the seed Canary and would prune none of its fields', () => {
    assert.deepEqual(checkAgainstSchema(schema, seed), []);
  });

  it('declares the types the seed relies on', () => {
    assert.deepEqual(at(schema, 'spec').required, ['targetRef', 'analysis']);
    assert.deepEqual(at(schema, 'spec.service').required, ['port']);
    assert.equal(at(schema, 'spec.service.port').type, 'number');
    assert.equal(at(schema, 'spec.service.targetPort')['x-kubernetes-int-or-string'], true);
    assert.equal(at(schema, 'spec.autoscalerRef.apiVersion').type, 'string');
    assert.equal(at(schema, 'spec.service.retries.attempts').type, 'integer');
    assert.equal(at(schema, 'spec.analysis.metrics.[].thresholdRange.min').type, 'number');
    assert.equal(at(schema, 'spec.analysis.webhooks.[].metadata').type, 'object');
  });

  it('accepts the A/B variant from the same guide', () => {
    const ab = structuredClone(seed) as { spec: { analysis: Record<string, unknown> } };
    ab.spec.analysis = {
      interval: '1m',
      threshold: 5,
      iterations: 10,
      match: [{ headers: { 'x-canary': { exact: 'insider' } } }, { headers: { cookie: { suffix: 'insider' } } }],
      webhooks: [{ name: 'load-test', url: 'http://flagger-loadtester.test/', metadata: { cmd: 'hey' } }],
    };
    assert.deepEqual(checkAgainstSchema(schema, ab), []);
  });

  it('rejects what Flagger rejects', () => {
    const variant = (analysis: Record<string, unknown>) => {
      const c = structuredClone(seed) as { spec: { analysis: Record<string, unknown> } };
      c.spec.analysis = { interval: '30s', threshold: 5, ...analysis };
      return checkAgainstSchema(schema, c);
    };
    assert.notDeepEqual(variant({ stepWeight: 5, iterations: 3 }), [], 'two step drivers');
    assert.notDeepEqual(variant({}), [], 'no step driver');
    assert.notDeepEqual(variant({ iterations: 2, match: [{ headers: { a: { exact: 'x', prefix: 'y' } } }] }), []);
    assert.notDeepEqual(variant({ stepWeight: 5, webhooks: [{ name: 'w', url: 'http://x', type: 'sometimes' }] }), []);
    assert.notDeepEqual(variant({ stepWeight: 5, interval: '1h' }), [], 'interval pattern');
  });
});

describe('MetricTemplate and AlertProvider schemas', () => {
  it('accept Flagger-style resources', () => {
    const template = {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'MetricTemplate',
      metadata: { name: 'latency', namespace: 'test' },
      spec: {
        provider: { type: 'prometheus', address: 'http://prometheus:9090', secretRef: { name: 'prom' } },
        query: 'histogram_quantile(0.99, sum(rate(x_bucket{ns="{{ namespace }}"}[{{ interval }}])) by (le))',
      },
    };
    assert.deepEqual(checkAgainstSchema(schemaOf(crds.metricTemplate), template), []);
    const slack = { spec: { type: 'slack', channel: 'alerts', address: 'https://hooks.slack.com/x' } };
    assert.deepEqual(checkAgainstSchema(schemaOf(crds.alertProvider), slack), []);
  });

  it('AlertProvider needs exactly one of address and secretRef, as in Flagger', () => {
    const check = (spec: object) => checkAgainstSchema(schemaOf(crds.alertProvider), { spec });
    assert.notDeepEqual(check({ type: 'slack' }), []);
    assert.deepEqual(check({ type: 'msteams', secretRef: { name: 's' } }), []);
    assert.notDeepEqual(check({ type: 'generic', address: 'http://x' }), []);
  });
});
