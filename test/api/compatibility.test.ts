// docs/compatibility.md lists every field of the three CRDs: each schema path of deploy/crds/*.yaml
// is in the table of its resource, and the tables name no path the schemas do not have.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadYaml } from '@kubernetes/client-node';

interface Schema {
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
}

const root = join(__dirname, '..', '..', '..');
const text = (path: string) => readFileSync(join(root, path), 'utf8');
// Nested one level so loadYaml keeps the CRD as plain data (see crds.test.ts).
const specSchema = (path: string): Schema => {
  const crd = loadYaml<{ doc: { spec: { versions: { schema: { openAPIV3Schema: Schema } }[] } } }>(`doc:\n${text(path).replace(/^/gm, '  ')}`).doc;
  const spec = crd.spec.versions[0]?.schema.openAPIV3Schema.properties?.spec;
  assert.ok(spec, `${path} has no spec schema`);
  return spec;
};

/** Every field path under `spec`: `[]` for list items, `*` for map values. */
export function fieldPaths(schema: Schema, at = 'spec'): string[] {
  const out: string[] = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = `${at}.${key}`;
    out.push(path, ...fieldPaths(child, path));
  }
  if (schema.items) out.push(...fieldPaths(schema.items, `${at}[]`));
  if (typeof schema.additionalProperties === 'object') out.push(...fieldPaths(schema.additionalProperties, `${at}.*`));
  return out;
}

type Resource = 'Canary' | 'MetricTemplate' | 'AlertProvider';

/** The paths in the first cell of each table row, by the resource its `##` section is about. */
export function documentedPaths(markdown: string): Record<Resource, Set<string>> {
  const out: Record<Resource, Set<string>> = { Canary: new Set(), MetricTemplate: new Set(), AlertProvider: new Set() };
  let resource: Resource | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^## (Canary|MetricTemplate|AlertProvider)\b/.exec(line);
    if (heading) resource = heading[1] as Resource;
    else if (line.startsWith('## ')) resource = undefined;
    if (resource === undefined || !line.startsWith('| `spec')) continue;
    const firstCell = line.split('|')[1] ?? '';
    for (const m of firstCell.matchAll(/`(spec[^`]*)`/g)) out[resource].add(m[1] ?? '');
  }
  return out;
}

describe('docs/compatibility.md', () => {
  const documented = documentedPaths(text('docs/compatibility.md'));
  const crds: [Resource, string][] = [
    ['Canary', 'deploy/crds/canary.yaml'],
    ['MetricTemplate', 'deploy/crds/metrictemplate.yaml'],
    ['AlertProvider', 'deploy/crds/alertprovider.yaml'],
  ];

  for (const [resource, path] of crds) {
    it(`lists every ${resource} field of ${path}, and no other`, () => {
      const fields = fieldPaths(specSchema(path));
      assert.ok(fields.length > 5, `${path}: only ${fields.length} fields found`);
      assert.deepEqual(
        fields.filter((f) => !documented[resource].has(f)),
        [],
        `${resource} fields missing from docs/compatibility.md`,
      );
      assert.deepEqual(
        [...documented[resource]].filter((f) => !fields.includes(f)),
        [],
        `docs/compatibility.md names ${resource} fields the CRD does not have`,
      );
    });
  }

  it('finds a field missing from a table', () => {
    const markdown = '## Canary\n\n| Field | a | b | c |\n|---|---|---|---|\n| `spec.provider` | x | y | |\n';
    const paths = documentedPaths(markdown);
    assert.deepEqual([...paths.Canary], ['spec.provider']);
    const schema: Schema = { properties: { provider: {}, service: { properties: { port: {} } } } };
    assert.deepEqual(
      fieldPaths(schema).filter((f) => !paths.Canary.has(f)),
      ['spec.service', 'spec.service.port'],
    );
  });
});
