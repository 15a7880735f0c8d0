// Hostile input at the unit layer: Canary, MetricTemplate and AlertProvider specs generated from the
// CRD schemas and beyond them, run through validation and defaults by the thousand. The schema
// check (schema-check.ts) stands in for the API server: a spec it refuses never reaches Perch,
// one it admits must be refused by Perch's validation with the field named, or run with sane settings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type Canary } from '../../src/api/canary';
import {
  canarySettings,
  DEFAULT_INTERVAL_MS,
  DEFAULT_METRIC_INTERVAL,
  DEFAULT_PORT_NAME,
  DEFAULT_PROGRESS_DEADLINE_SECONDS,
  DEFAULT_READY_THRESHOLD,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
} from '../../src/api/defaults';
import { crossNamespaceRefs, validateAlertProvider, validateCanary, validateMetricTemplate } from '../../src/api/validation';
import { type CanarySettings } from '../../src/api/canary-settings';
import { checkAgainstSchema, type Schema } from './schema-check';
import { anyText, crdSchema, fromSchema, jsonType, mutate, mutation, names, validCanary, valueAt } from './hostile/specs';

const RUNS = 3000;
const schemas = { canary: crdSchema('canary'), template: crdSchema('metrictemplate'), provider: crdSchema('alertprovider') };

/** Runs a property `RUNS` times and prints how many specs it tried. */
function check<T>(what: string, arb: fc.Arbitrary<T>, property: (value: T) => void, runs = RUNS): void {
  let tried = 0;
  fc.assert(
    fc.property(arb, (value) => {
      tried++;
      property(value);
    }),
    { numRuns: runs },
  );
  console.log(`# tried ${tried} ${what}`);
}

const resource = (spec: fc.Arbitrary<unknown>, kind: string) =>
  spec.map((s) => ({ apiVersion: 'flagger.app/v1beta1', kind, metadata: { name: 'x', namespace: 'ns' }, spec: s }));

function schemaProblems(schema: Schema, value: unknown): string[] {
  return checkAgainstSchema(schema, value);
}

/** What every Canary Perch runs must hold to, whatever was written. */
function assertSane(s: CanarySettings): void {
  const a = s.analysis;
  assert.ok(Number.isFinite(a.intervalMs) && a.intervalMs >= 1000, `intervalMs ${a.intervalMs}`);
  assert.ok(Number.isInteger(a.threshold) && a.threshold >= 1, `threshold ${a.threshold}`);
  assert.ok(a.maxWeight >= 1 && a.maxWeight <= 100, `maxWeight ${a.maxWeight}`);
  assert.ok(a.stepWeight > 0 || a.stepWeights.length > 0 || a.iterations > 0, 'something advances');
  assert.ok(Number.isInteger(s.service.port) && s.service.port >= 1 && s.service.port <= 65535, `port ${s.service.port}`);
  assert.ok(
    Number.isInteger(s.progressDeadlineSeconds) && s.progressDeadlineSeconds >= 1 && s.progressDeadlineSeconds < 2 ** 31,
    `deadline ${s.progressDeadlineSeconds}`,
  );
  for (const m of a.metrics) assert.ok(Number.isFinite(m.intervalMs) && m.intervalMs >= 0, `metric interval ${m.interval}`);
  for (const w of a.webhooks) assert.ok(Number.isFinite(w.timeoutMs) && w.timeoutMs > 0 && Number.isInteger(w.retries), `webhook ${w.name}`);
}

describe('Canary specs from the CRD schema', () => {
  it('never throw; an admitted spec is refused with reasons or runs with sane settings', () => {
    let admitted = 0;
    let runnable = 0;
    check('Canary specs generated from the CRD schema', resource(fromSchema(schemas.canary.properties!.spec!), 'Canary'), (canary) => {
      const problems = validateCanary(canary as never);
      assert.ok(Array.isArray(problems) && problems.every((p) => typeof p === 'string' && p.length > 0));
      crossNamespaceRefs(canary as never);
      if (schemaProblems(schemas.canary, canary).length > 0) return;
      admitted++;
      if (problems.length > 0) return;
      runnable++;
      assertSane(canarySettings(canary as unknown as Canary));
    });
    console.log(`# of which ${admitted} admitted by the schema, ${runnable} valid`);
  });
});

describe('Canary specs mutated beyond the schema', () => {
  const base = validCanary('podinfo', 'test');
  it('the unmutated base is valid (else the property below proves nothing)', () => {
    assert.deepEqual(schemaProblems(schemas.canary, base), []);
    assert.deepEqual(validateCanary(base as never), []);
  });

  it('every broken field is named, by the schema or by Perch; harmless changes stay valid', () => {
    const seen = new Map<string, number>();
    check('mutated Canary specs', mutation, (m) => {
      // A "wrong type" of the field's own type is no mutation at all.
      if (m.kind === 'wrong type' && jsonType(m.value) === jsonType(valueAt(base, m.path))) return;
      seen.set(m.kind, (seen.get(m.kind) ?? 0) + 1);
      const canary = mutate(base, m);
      const problems = validateCanary(canary);
      crossNamespaceRefs(canary);
      const refused = schemaProblems(schemas.canary, canary);
      if (m.invalid) {
        assert.ok(
          names([...refused, ...problems], m.path),
          `${m.kind} at ${m.path} (${JSON.stringify(m.value)?.slice(0, 80)}) not named in ${JSON.stringify([...refused, ...problems])}`,
        );
      } else if (refused.length === 0 || m.kind === 'extra field') {
        assert.deepEqual(problems, [], `${m.kind} at ${m.path}: ${JSON.stringify(m.value)?.slice(0, 80)}`);
        assertSane(canarySettings(canary as unknown as Canary));
      }
    });
    console.log(`# mutations by kind: ${JSON.stringify(Object.fromEntries(seen))}`);
  });
});

describe('defaults of valid Canaries', () => {
  /** Each optional field either left out or set to a valid value. */
  const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const valid = fc.record({
    interval: opt(fc.constantFrom('1s', '30s', '1m', '1m30s', '2h')),
    threshold: opt(fc.integer({ min: 1, max: 20 })),
    maxWeight: opt(fc.integer({ min: 1, max: 100 })),
    stepWeight: fc.integer({ min: 1, max: 100 }),
    deadline: opt(fc.integer({ min: 1, max: 3600 })),
    portName: opt(fc.constantFrom('http', 'web', 'grpc')),
    targetPort: opt(fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom('http', 'metrics'))),
    metricInterval: opt(fc.constantFrom('30s', '1m', '5m')),
    hookTimeout: opt(fc.constantFrom('5s', '30s', '1m')),
    hookType: opt(fc.constantFrom('rollout', 'pre-rollout', 'post-rollout', '')),
    serviceName: opt(fc.constantFrom('apex', 'front-end')),
  });
  it('fill what was left out with the documented defaults and keep what was written', () => {
    check('valid Canaries for defaults', valid, (v) => {
      const canary = validCanary('podinfo', 'test') as unknown as Canary;
      const { spec } = canary;
      const a = spec.analysis;
      const set = <K extends string>(o: Record<K, unknown>, k: K, value: unknown) => {
        if (value === undefined) delete o[k];
        else o[k] = value;
      };
      set(a as never, 'interval', v.interval);
      set(a as never, 'threshold', v.threshold);
      set(a as never, 'maxWeight', v.maxWeight);
      a.stepWeight = v.stepWeight;
      set(spec as never, 'progressDeadlineSeconds', v.deadline);
      set(spec.service as never, 'portName', v.portName);
      set(spec.service as never, 'targetPort', v.targetPort);
      set(spec.service as never, 'name', v.serviceName);
      set(a.metrics![0] as never, 'interval', v.metricInterval);
      set(a.webhooks![0] as never, 'timeout', v.hookTimeout);
      set(a.webhooks![0] as never, 'type', v.hookType);
      assert.deepEqual(validateCanary(canary), []);
      const s = canarySettings(canary);
      assertSane(s);
      const ms = { '1s': 1000, '30s': 30_000, '1m': 60_000, '1m30s': 90_000, '2h': 7_200_000, '5s': 5000, '5m': 300_000 } as Record<string, number>;
      assert.equal(s.analysis.intervalMs, v.interval ? ms[v.interval] : DEFAULT_INTERVAL_MS);
      assert.equal(s.analysis.threshold, v.threshold ?? 1);
      assert.equal(s.analysis.maxWeight, v.maxWeight ?? 100);
      assert.equal(s.analysis.stepWeight, v.stepWeight);
      assert.equal(s.progressDeadlineSeconds, v.deadline ?? DEFAULT_PROGRESS_DEADLINE_SECONDS);
      assert.equal(s.service.portName, v.portName ?? DEFAULT_PORT_NAME);
      assert.equal(s.service.targetPort, v.targetPort ?? 80);
      assert.equal(s.service.apexName, v.serviceName ?? 'podinfo');
      assert.equal(s.service.primaryName, `${v.serviceName ?? 'podinfo'}-primary`);
      assert.equal(s.analysis.metrics[0]!.interval, v.metricInterval ?? DEFAULT_METRIC_INTERVAL);
      assert.equal(s.analysis.webhooks[0]!.timeoutMs, v.hookTimeout ? ms[v.hookTimeout] : DEFAULT_WEBHOOK_TIMEOUT_MS);
      assert.equal(s.analysis.webhooks[0]!.type, v.hookType || 'rollout');
      assert.equal(s.analysis.primaryReadyThreshold, DEFAULT_READY_THRESHOLD);
      assert.equal(s.analysis.canaryReadyThreshold, DEFAULT_READY_THRESHOLD);
      assert.equal(s.strategy, 'canary');
      assert.equal(s.skipAnalysis, false);
    });
  });
});

describe('MetricTemplate and AlertProvider specs', () => {
  it('MetricTemplates from the schema and beyond: never throw, every refusal names a field', () => {
    const spec = fc.oneof(
      fromSchema(schemas.template.properties!.spec!),
      fc.dictionary(fc.constantFrom('provider', 'query', 'x'), fc.oneof(anyText, fc.constant({ type: 'prometheus', address: 7 }), fc.constant(null))),
    );
    check('MetricTemplate specs', resource(spec, 'MetricTemplate'), (t) => {
      const problems = validateMetricTemplate(t as never);
      assert.ok(Array.isArray(problems) && problems.every((p) => /^spec(\.| )/.test(p)), JSON.stringify(problems));
      const s = (t.spec ?? {}) as Record<string, unknown>;
      // A plain query (no brackets or quotes to unbalance) of an admitted template: valid exactly when Perch can query its provider.
      const provider = (s.provider ?? {}) as { type?: string; address?: string; secretRef?: { name?: string } };
      if (
        schemaProblems(schemas.template, t).length === 0 &&
        typeof s.query === 'string' &&
        !/[()[\]{}"'`#]/.test(s.query) &&
        s.query.trim() !== ''
      ) {
        const usable =
          provider.type === 'prometheus' &&
          (provider.secretRef === undefined || provider.secretRef.name !== '') &&
          (provider.address === undefined || /^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i.test(provider.address));
        assert.equal(problems.length === 0, usable, `${JSON.stringify(t).slice(0, 200)} → ${JSON.stringify(problems).slice(0, 300)}`);
      }
    });
  });

  it('AlertProviders from the schema and beyond: never throw, every refusal names a field', () => {
    const spec = fc.oneof(
      fromSchema(schemas.provider.properties!.spec!),
      fc.dictionary(
        fc.constantFrom('type', 'address', 'secretRef', 'proxy'),
        fc.oneof(anyText, fc.constant(7), fc.constant({ name: 3 }), fc.constant(null)),
      ),
    );
    check('AlertProvider specs', resource(spec, 'AlertProvider'), (p) => {
      const problems = validateAlertProvider(p as never);
      assert.ok(Array.isArray(problems) && problems.every((text) => /^spec(\.| )/.test(text)), JSON.stringify(problems));
    });
  });
});
