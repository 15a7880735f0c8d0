// Generators of hostile resource specs for the property tests (unit layer) and the e2e test (real
// apiserver): objects built from the CRD schemas in deploy/crds, and mutations of a valid Canary
// that step outside them (wrong types, huge strings, deep nesting, unicode, negative and huge
// numbers, broken durations, missing and extra fields). Each mutation says which field it broke,
// so a test can look for that field's name in the problems reported.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadYaml } from '@kubernetes/client-node';
import { type Schema } from '../schema-check';

const root = join(__dirname, '..', '..', '..', '..');

/** The openAPIV3Schema of a CRD in deploy/crds (`canary`, `metrictemplate`, `alertprovider`). */
export function crdSchema(file: 'canary' | 'metrictemplate' | 'alertprovider'): Schema {
  // One level of nesting keeps the document plain data (client-node renames x-kubernetes-* keys of a CRD).
  const doc = loadYaml<{ doc: { spec: { versions: { schema: { openAPIV3Schema: Schema } }[] } } }>(
    `doc:\n${readFileSync(join(root, 'deploy', 'crds', `${file}.yaml`), 'utf8').replace(/^/gm, '  ')}`,
  ).doc;
  return doc.spec.versions[0]!.schema.openAPIV3Schema;
}

/** Strings a user (or an attacker) might write anywhere: durations right and wrong, URLs, unicode, blanks. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('30s', '1m', '1m30s', '1h30x', '30sx', '5m-1s', '1.5h', '-1s', '0', '10', 'µs', '٣٠s', ' 30s', '99999999999999999999h'),
  fc.constantFrom('http://example.test/', 'https://h.test:8443/p?q#f', 'ftp://x/', 'http://', 'http://a b/', 'podinfo', 'podinfo-primary'),
  fc.constantFrom('', ' ', '\u0000', '"}', '"} or vector(1) #', '{{', '{{ name }}', '}}{{'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.integer({ min: 1000, max: 100_000 }).map((n) => 'x'.repeat(n)),
);

/** Strings a valid spec would hold, so that generated specs also reach the checks behind the schema. */
const plausibleText: fc.Arbitrary<string> = fc.constantFrom(
  '30s',
  '1m',
  '10s',
  '5m',
  'podinfo',
  'test',
  'http://example.test/',
  'apps/v1',
  'x-y',
  'token',
);

/** Mostly plausible, sometimes hostile. */
const schemaText: fc.Arbitrary<string> = fc.oneof({ weight: 12, arbitrary: plausibleText }, { weight: 1, arbitrary: anyText });

/** Numbers at and beyond every bound the fields have. */
export const anyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: -5, max: 120 }),
  fc.constantFrom(0, 1, 100, 101, 65535, 65536, -1, 2 ** 31, 2 ** 53, 1e300, -1e300, 0.5, 2.5, 99.9, Number.MIN_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value, nested up to `depth`. */
export function anyJson(depth: number): fc.Arbitrary<unknown> {
  return fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', maxDepth: depth },
      anyText,
      anyNumber,
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 6 }), tie('v'), { maxKeys: 3 }),
    ),
  })).v;
}

/** A value the schema admits in shape (types, enums, required keys); strings and numbers hostile within their type. */
export function fromSchema(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.pattern === '^[0-9]+(m|s)')
    return fc.oneof({ weight: 12, arbitrary: fc.constantFrom('10s', '1m', '30s', '5m') }, { weight: 1, arbitrary: anyText });
  if (schema['x-kubernetes-int-or-string']) return fc.oneof(fc.integer({ min: -2, max: 70000 }), anyText);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string':
      return schemaText;
    case 'number':
      return fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 100 }) }, { weight: 1, arbitrary: anyNumber });
    case 'integer':
      return fc.oneof(fc.integer({ min: -5, max: 120 }), fc.constantFrom(0, -1, 65536, 2 ** 31, 2 ** 53));
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 6 ? fc.constant([]) : fc.array(fromSchema(schema.items ?? {}, depth + 1), { maxLength: 3 });
    case 'object':
      return objectFromSchema(schema, depth);
    default:
      return anyJson(2);
  }
}

function objectFromSchema(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties)
    return fc.dictionary(fc.string({ maxLength: 8 }), anyJson(4), { maxKeys: 3 });
  if (schema.properties) {
    const props = Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, fromSchema(s, depth + 1)]));
    const record = (required: string[], left: string[]) =>
      fc.record(Object.fromEntries(Object.entries(props).filter(([k]) => !left.includes(k))), { requiredKeys: required.filter((k) => k in props) });
    // "Exactly one of these keys" (oneOf of required lists): one branch's keys set, the others' left out.
    const branches = (schema.oneOf ?? []).map((b) => b.required ?? []);
    if (branches.length === 0) return record(schema.required ?? [], []);
    return fc.constantFrom(...branches).chain((chosen) =>
      record(
        [...(schema.required ?? []), ...chosen],
        branches.flat().filter((k) => !chosen.includes(k)),
      ),
    );
  }
  if (typeof schema.additionalProperties === 'object') {
    return fc.dictionary(
      fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('token', 'a.b', 'x-y')),
      fromSchema(schema.additionalProperties, depth + 1),
      {
        maxKeys: 3,
      },
    );
  }
  return fc.constant({});
}

/** The parts of a valid Canary the mutations below aim at. */
export function validCanary(name: string, namespace: string): Record<string, unknown> {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name, namespace },
    spec: {
      provider: 'contour',
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      progressDeadlineSeconds: 60,
      service: { port: 80, targetPort: 9898, timeout: '15s', retries: { attempts: 3, perTryTimeout: '5s' } },
      analysis: {
        interval: '10s',
        threshold: 2,
        primaryReadyThreshold: 100,
        maxWeight: 50,
        stepWeight: 10,
        metrics: [{ name: 'request-success-rate', interval: '1m', thresholdRange: { min: 99 } }],
        webhooks: [{ name: 'load-test', type: 'rollout', url: 'http://loadtester.test/', timeout: '5s', retries: 1, metadata: { cmd: 'true' } }],
        alerts: [{ name: 'on-call', severity: 'error', providerRef: { name: 'slack' } }],
      },
    },
  };
}

export interface Mutation {
  /** The field broken, as the problems name it (`spec.analysis.interval`, `spec.analysis.webhooks[0].url`). */
  path: string;
  /** What was done, for the counterexample. */
  kind: string;
  /** The value written; undefined for a removed field. */
  value?: unknown;
  /** True when the result must be refused (by the schema or by Perch), false when it must still be accepted. */
  invalid: boolean;
}

const DURATIONS = [
  'spec.analysis.interval',
  'spec.service.timeout',
  'spec.service.retries.perTryTimeout',
  'spec.analysis.metrics[0].interval',
  'spec.analysis.webhooks[0].timeout',
];
const BAD_DURATIONS = ['1h30x', '30sx', '1m-1s', '5m5', '1.5.5s', '-1s', '30 s', '٣٠s', '1m\u0000', '99999999999999999999h', '1e9h'];

/** Numeric fields and the values each must refuse. */
const NUMBERS: Record<string, (n: number) => boolean> = {
  'spec.progressDeadlineSeconds': (n) => !(Number.isInteger(n) && n >= 1 && n <= 2 ** 31 - 1),
  'spec.service.port': (n) => !(Number.isInteger(n) && n >= 1 && n <= 65535),
  'spec.service.retries.attempts': (n) => !(Number.isInteger(n) && n >= 0 && n <= 2 ** 31 - 1),
  'spec.analysis.threshold': (n) => !(Number.isInteger(n) && n >= 1 && n <= 2 ** 31 - 1),
  'spec.analysis.maxWeight': (n) => !(Number.isInteger(n) && n >= 0 && n <= 100),
  'spec.analysis.stepWeight': (n) => !(Number.isInteger(n) && n >= 1 && n <= 100),
  'spec.analysis.webhooks[0].retries': (n) => !(Number.isInteger(n) && n >= 0 && n <= 2 ** 31 - 1),
  'spec.analysis.primaryReadyThreshold': (n) => !(n >= 0 && n <= 100),
};

const REQUIRED = [
  'spec.targetRef',
  'spec.targetRef.name',
  'spec.targetRef.kind',
  'spec.service',
  'spec.service.port',
  'spec.analysis',
  'spec.analysis.metrics[0].name',
  'spec.analysis.webhooks[0].name',
  'spec.analysis.webhooks[0].url',
  'spec.analysis.alerts[0].name',
  'spec.analysis.alerts[0].providerRef',
];

/** Every field above, for wrong types and deep nesting. */
const TYPED = [
  ...DURATIONS,
  ...Object.keys(NUMBERS),
  ...REQUIRED,
  'spec.analysis.webhooks[0].type',
  'spec.analysis.stepWeights',
  'spec.analysis.metrics',
  'spec.analysis.webhooks',
  'spec.analysis.alerts',
  'spec.analysis.webhooks[0].metadata',
  'spec.provider',
];

/** Where a key the schema does not know is added (the apiserver prunes it; Perch must not mind). */
const OBJECTS = ['spec', 'spec.service', 'spec.analysis', 'spec.analysis.metrics[0]', 'spec.analysis.webhooks[0]', 'spec.targetRef'];

/** A value of another JSON type than the field's, or a deep nest of objects and arrays. */
const wrongType = (depth: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom('abc', '', 7, -1, true, false, [], {}, [1, 'a'], { a: 1 }),
    fc.integer({ min: 50, max: depth }).map((d) => nest(d)),
  );

function nest(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? { a: v } : [v];
  return v;
}

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...DURATIONS), fc.constantFrom(...BAD_DURATIONS))
    .map(([path, value]) => ({ path, kind: 'bad duration', value, invalid: true })),
  fc
    .tuple(fc.constantFrom(...Object.keys(NUMBERS)), anyNumber)
    .map(([path, value]) => ({ path, kind: 'number', value, invalid: NUMBERS[path]!(value) })),
  fc.constantFrom(...REQUIRED).map((path) => ({ path, kind: 'missing', invalid: true })),
  fc.tuple(fc.constantFrom(...TYPED), wrongType(300)).map(([path, value]) => ({ path, kind: 'wrong type', value, invalid: true })),
  fc
    .tuple(
      fc.constantFrom('spec.analysis.webhooks[0].url', 'spec.targetRef.name', 'spec.service.name'),
      fc.constantFrom('ftp://x/', 'http://', 'not a url', 'Pod Info', 'ünïcode', 'a'.repeat(300), 'http://a b/'),
    )
    .map(([path, value]) => ({ path, kind: 'bad text', value, invalid: true })),
  fc
    .tuple(
      fc.constantFrom(...OBJECTS),
      fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !/^[a-zA-Z]+$/.test(k) && !/[.[\]]/.test(k)),
      anyJson(3),
    )
    .map(([at, key, value]) => ({ path: `${at}.${key}`, kind: 'extra field', value, invalid: false })),
);

/** The value at `path` of `obj`, undefined when any part is missing. */
export function valueAt(obj: unknown, path: string): unknown {
  let node = obj;
  for (const p of path.replace(/\[(\d+)\]/g, '.$1').split('.'))
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[p] : undefined;
  return node;
}

/** The JSON type of a value, arrays and null told apart from objects. */
export function jsonType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Applies `m` to a copy of `canary`. */
export function mutate(canary: Record<string, unknown>, m: Mutation): Record<string, unknown> {
  const copy = structuredClone(canary);
  const parts = m.path.replace(/\[(\d+)\]/g, '.$1').split('.');
  const last = parts.pop()!;
  let node: Record<string, unknown> = copy;
  for (const p of parts) node = node[p] as Record<string, unknown>;
  if (m.kind === 'missing') delete node[last];
  else node[last] = m.value;
  return copy;
}

/**
 * Whether one of `problems` names the field `path`, as validation and the schema check write it:
 * the whole path, or its parent followed by the field's own name ("spec.analysis must set stepWeight ...").
 */
export function names(problems: readonly string[], path: string): boolean {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  const parent = path.slice(0, cut);
  const leaf = path.slice(cut + 1).replace(/\]$/, '');
  return problems.some((text) => text.includes(path) || (text.startsWith(`${parent} `) && text.includes(leaf)));
}
