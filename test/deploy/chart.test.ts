// charts/perch without the API server, rendered by the pinned helm: lint-clean; with default values
// the very objects kustomize builds from deploy/ (object by object, but the Namespace); each
// Temporal option the very objects of its kustomize overlay; one more setting is one line of
// values; the RBAC scope, the monitors, the dashboard, the version, the schema and the Flux example.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildYaml, objectKey, type RawObject, rawObjects, repoRoot } from './install';
import { chartDir, everyOption, helm, renderYaml, type Values, valuesFile } from './helm';

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

const render = (values: Values = {}): RawObject[] => rawObjects(renderYaml(values));

function byKey(objects: readonly RawObject[]): Map<string, RawObject> {
  const map = new Map<string, RawObject>();
  for (const o of objects) {
    assert.ok(!map.has(objectKey(o)), `${objectKey(o)} twice`);
    map.set(objectKey(o), o);
  }
  return map;
}

/** The same objects, field for field; a difference names the object it is in. */
function assertSameObjects(actual: readonly RawObject[], expected: readonly RawObject[], what: string): void {
  const a = byKey(actual);
  const e = byKey(expected);
  assert.deepEqual([...a.keys()].sort(), [...e.keys()].sort(), `${what}: which objects`);
  for (const [key, o] of e) assert.deepEqual(a.get(key), o, `${what}: ${key}`);
}

function one(objects: readonly RawObject[], kind: string, name?: string): RawObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  assert.equal(found.length, 1, `one ${kind} ${name ?? ''}: ${found.map(objectKey).join(', ')}`);
  return found[0] as RawObject;
}

/** A path into an object, e.g. at(d, 'spec', 'template', 'spec', 'containers', 0). */
function at(o: unknown, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v === null || typeof v !== 'object' ? undefined : (v as Record<string | number, unknown>)[k]), o);
}

const configOf = (objects: readonly RawObject[]): Record<string, string> => at(one(objects, 'ConfigMap'), 'data') as Record<string, string>;
const kustomizeWithoutNamespace = (dir: string): RawObject[] => rawObjects(buildYaml(dir)).filter((o) => o.kind !== 'Namespace');

describe('Helm chart charts/perch (helm template)', () => {
  it('passes helm lint --strict with default values and with every option on', () => {
    for (const values of [{}, everyOption('team-a', 'shared')]) {
      const r = helm(['lint', '--strict', chartDir, '-f', valuesFile(values)]);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
      assert.doesNotMatch(r.stdout + r.stderr, /\[(WARNING|ERROR)\]/);
    }
  });

  it('renders with default values the objects `kubectl kustomize deploy` builds, but the Namespace', () => {
    const kustomize = rawObjects(buildYaml('deploy'));
    // Helm leaves the release's namespace to `helm install --create-namespace` (a chart that owned
    // it would delete everything in it on uninstall, and clash with --create-namespace).
    assert.deepEqual(kustomize.filter((o) => o.kind === 'Namespace').map(objectKey), ['Namespace perch-system']);
    const chart = rawObjects(renderYaml({}, { crds: true }));
    assertSameObjects(
      chart,
      kustomize.filter((o) => o.kind !== 'Namespace'),
      'helm template vs kubectl kustomize deploy',
    );
  });

  it("carries package.json's version: Chart.yaml, the image it installs, deploy/'s image tag", () => {
    const chartYaml = readFileSync(join(chartDir, 'Chart.yaml'), 'utf8');
    assert.match(chartYaml, new RegExp(`^version: ${version}$`, 'm'));
    assert.match(chartYaml, new RegExp(`^appVersion: "${version}"$`, 'm'));
    assert.match(readFileSync(join(repoRoot, 'deploy', 'base', 'kustomization.yaml'), 'utf8'), new RegExp(`^    newTag: ${version}$`, 'm'));
    const images = (objects: RawObject[]) =>
      objects.filter((o) => o.kind === 'Deployment').map((d) => at(d, 'spec', 'template', 'spec', 'containers', 0, 'image'));
    assert.deepEqual(images(render()), [`perch:${version}`, `perch:${version}`]);
    assert.deepEqual(images(render({ image: { repository: 'registry.example.com/perch', tag: '1.2.3' } })), [
      'registry.example.com/perch:1.2.3',
      'registry.example.com/perch:1.2.3',
    ]);
  });

  it('takes a new setting as one line of config: it joins the ConfigMap, whose new name rolls both Deployments', () => {
    const before = render();
    const after = render({ config: { PERCH_EVENT_SOURCE: 'perch', PERCH_TASK_QUEUE: 'rollouts', PERCH_METRICS_SERVER: '', PERCH_BATCH: 5 } });
    const kept = { ...configOf(before) };
    delete kept.PERCH_METRICS_SERVER;
    assert.deepEqual(
      configOf(after),
      { ...kept, PERCH_EVENT_SOURCE: 'perch', PERCH_TASK_QUEUE: 'rollouts', PERCH_BATCH: '5' },
      'an empty value is left out, a number becomes a string',
    );
    const name = one(after, 'ConfigMap').metadata?.name ?? '';
    assert.notEqual(name, one(before, 'ConfigMap').metadata?.name);
    assert.match(name, /^perch-config-[a-z0-9]{10}$/);
    for (const d of after.filter((o) => o.kind === 'Deployment')) {
      assert.equal(at(d, 'spec', 'template', 'spec', 'containers', 0, 'envFrom', 0, 'configMapRef', 'name'), name, objectKey(d));
    }
  });

  it('lists every setting the worker and the watcher read: a value of the chart, a line of deploy/base, a row of docs/operating.md', () => {
    // Set for the operator by the manifests themselves: the probes' address, the image's bundle.
    const fixed = new Set(['PERCH_HTTP_ADDRESS', 'PERCH_WORKFLOW_BUNDLE']);
    const src = join(repoRoot, 'src');
    const read = new Set<string>();
    for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
      // The command line (src/cli) has settings of its own, for the user's shell.
      if (!file.endsWith('.ts') || file.startsWith('cli')) continue;
      for (const m of readFileSync(join(src, file), 'utf8').matchAll(/\bPERCH_[A-Z_]*[A-Z]\b/g)) read.add(m[0]);
    }
    assert.ok(read.has('PERCH_EVENT_SOURCE') && read.has('PERCH_SELECTOR_LABELS'), [...read].join(', '));
    const values = readFileSync(join(chartDir, 'values.yaml'), 'utf8');
    const base = readFileSync(join(repoRoot, 'deploy', 'base', 'kustomization.yaml'), 'utf8');
    const docs = readFileSync(join(repoRoot, 'docs', 'operating.md'), 'utf8');
    for (const name of [...read].filter((n) => !fixed.has(n)).sort()) {
      assert.match(values, new RegExp(`^  ${name}:`, 'm'), `charts/perch/values.yaml config has no ${name}`);
      assert.match(base, new RegExp(`^ *(# )?- ${name}=`, 'm'), `deploy/base/kustomization.yaml has no ${name} line`);
      assert.match(docs, new RegExp(`^\\|.*\`${name}\``, 'm'), `docs/operating.md has no row for ${name}`);
    }
  });

  it("temporal.tlsSecret renders the temporal-mtls overlay's objects, temporal.apiKeySecret the temporal-api-key overlay's", () => {
    const cases = [
      { dir: 'deploy/overlays/temporal-mtls', temporal: { tlsSecret: 'perch-temporal-tls' } },
      { dir: 'deploy/overlays/temporal-api-key', temporal: { apiKeySecret: 'perch-temporal-api-key' } },
    ];
    for (const { dir, temporal } of cases) {
      const overlay = kustomizeWithoutNamespace(dir);
      const { TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE } = configOf(overlay);
      assertSameObjects(render({ config: { TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE }, temporal }), overlay, `chart vs ${dir}`);
    }
  });

  it('with PERCH_WATCH_NAMESPACE binds the ClusterRole in that namespace and in rbac.extraNamespaces only', () => {
    const cluster = render();
    const scoped = render({ config: { PERCH_WATCH_NAMESPACE: 'team-a' }, rbac: { extraNamespaces: ['shared', 'team-a'] } });
    assert.equal(configOf(scoped).PERCH_WATCH_NAMESPACE, 'team-a');
    assert.deepEqual(
      scoped
        .filter((o) => /Binding$/.test(o.kind ?? ''))
        .map(objectKey)
        .sort(),
      ['RoleBinding shared/perch', 'RoleBinding team-a/perch'],
    );
    const binding = one(cluster, 'ClusterRoleBinding');
    for (const b of scoped.filter((o) => o.kind === 'RoleBinding')) {
      assert.deepEqual(b.roleRef, binding.roleRef);
      assert.deepEqual(b.subjects, binding.subjects);
    }
    assert.deepEqual(one(scoped, 'ClusterRole'), one(cluster, 'ClusterRole'));
  });

  it("points the ServiceMonitor and the PodMonitor at the worker's metrics port; the dashboard is deploy/grafana's", () => {
    const objects = render(everyOption('team-a', 'shared'));
    const service = one(objects, 'Service', 'perch-worker-metrics');
    const worker = one(objects, 'Deployment', 'perch-worker');
    const watcher = one(objects, 'Deployment', 'perch-watcher');
    const selects = (selector: unknown, labels: unknown) =>
      Object.entries(selector as Record<string, string>).every(([k, v]) => (labels as Record<string, string>)[k] === v);

    const sm = one(objects, 'ServiceMonitor');
    assert.ok(selects(at(sm, 'spec', 'selector', 'matchLabels'), service.metadata?.labels), 'the ServiceMonitor selects the metrics Service');
    assert.deepEqual(at(sm, 'spec', 'endpoints'), [{ port: 'http', path: '/metrics', interval: '15s' }]);
    assert.ok((at(service, 'spec', 'ports') as { name: string }[]).some((p) => p.name === 'http'));

    const pm = one(objects, 'PodMonitor');
    assert.ok(
      selects(at(pm, 'spec', 'selector', 'matchLabels'), at(worker, 'spec', 'template', 'metadata', 'labels')),
      'the PodMonitor selects worker pods',
    );
    assert.ok(
      !selects(at(pm, 'spec', 'selector', 'matchLabels'), at(watcher, 'spec', 'template', 'metadata', 'labels')),
      'and not the watcher (no /metrics)',
    );
    assert.deepEqual(at(pm, 'spec', 'podMetricsEndpoints'), [{ port: 'http', path: '/metrics', interval: '15s' }]);
    assert.ok((at(worker, 'spec', 'template', 'spec', 'containers', 0, 'ports') as { name: string }[]).some((p) => p.name === 'http'));
    for (const m of [sm, pm]) assert.equal(m.metadata?.labels?.release, 'kube-prometheus-stack');

    const dashboard = one(objects, 'ConfigMap', 'perch-grafana-dashboard');
    assert.equal(dashboard.metadata?.labels?.grafana_dashboard, '1');
    assert.equal(dashboard.metadata?.annotations?.grafana_folder, 'Perch');
    assert.deepEqual(
      JSON.parse(at(dashboard, 'data', 'perch-dashboard.json') as string),
      JSON.parse(readFileSync(join(repoRoot, 'deploy', 'grafana', 'perch-dashboard.json'), 'utf8')),
    );
  });

  it('refuses values it does not know, naming them (values.schema.json)', () => {
    const refused = (values: Values, pattern: RegExp) => {
      const r = helm(['template', 'perch', chartDir, '-f', valuesFile(values)]);
      assert.notEqual(r.status, 0, JSON.stringify(values));
      assert.match(r.stderr, pattern);
    };
    refused({ serviceMonitor: { enable: true } }, /enable/);
    refused({ config: { 'perch-task-queue': 'x' } }, /perch-task-queue/);
    refused({ worker: { replicas: 'two', resources: {} } }, /replicas/);
  });

  it('the Flux example installs the chart the release workflow publishes, with values the chart takes', () => {
    const example = rawObjects(readFileSync(join(repoRoot, 'examples', 'flux', 'perch.yaml'), 'utf8'));
    const source = one(example, 'OCIRepository');
    const release = one(example, 'HelmRelease');
    assert.deepEqual(at(release, 'spec', 'chartRef'), { kind: 'OCIRepository', name: source.metadata?.name });
    assert.equal(at(release, 'spec', 'releaseName'), 'perch');
    assert.equal(at(release, 'spec', 'targetNamespace'), 'perch-system');
    // The workflow pushes to oci://ghcr.io/<owner>/charts, as the chart's name.
    const workflow = readFileSync(join(repoRoot, '.github', 'workflows', 'release.yml'), 'utf8');
    const charts = /echo "charts=oci:\/\/ghcr\.io\/\$\{GITHUB_REPOSITORY_OWNER,,\}\/(\S+)"/.exec(workflow)?.[1];
    assert.equal(at(source, 'spec', 'url'), `oci://ghcr.io/<owner>/${charts}/perch`);
    const objects = render(at(release, 'spec', 'values') as Values);
    assert.equal(
      at(one(objects, 'Deployment', 'perch-worker'), 'spec', 'template', 'spec', 'containers', 0, 'env', 0, 'valueFrom', 'secretKeyRef', 'name'),
      'perch-temporal-api-key',
    );
    one(objects, 'ServiceMonitor');
    one(objects, 'ConfigMap', 'perch-grafana-dashboard');
  });
});
