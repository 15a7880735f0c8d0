// Perch's install manifests as the deploy tests see them: kustomize builds through the pinned
// kubectl, applied to the local stack with server-side apply, and where the pinned tools live.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { loadAll } from 'js-yaml';
import { stack } from '../support/stack';

export const repoRoot = join(__dirname, '..', '..', '..');

/** The field manager of the tests' applies, apart from the other tests' `perch-tests`. */
const FIELD_MANAGER = 'perch-install-test';

/** A version pinned in scripts/lib.sh (`NAME=value`). */
export function pinned(name: string): string {
  const m = new RegExp(`^${name}=(\\S+)`, 'm').exec(readFileSync(join(repoRoot, 'scripts', 'lib.sh'), 'utf8'));
  if (!m?.[1]) throw new Error(`scripts/lib.sh pins no ${name}`);
  return m[1];
}

/** Where the stack's tools and data files are installed (scripts/lib.sh PERCH_CACHE). */
export const perchCache = process.env.PERCH_CACHE ?? join(homedir(), '.cache', 'perch');

/** The folder the stack's tools are built into (scripts/lib.sh TOOLS_BIN). */
export const toolsBin = join(perchCache, 'bin');

/** The stack's own kubectl (its kustomize is the one `kubectl apply -k` uses). */
export const kubectlPath = (): string => {
  const path = join(toolsBin, `k8s-${pinned('K8S_VERSION')}`, 'kubectl');
  if (!existsSync(path)) throw new Error(`no kubectl at ${path}: run ./scripts/install.sh`);
  return path;
};

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** kubectl with the stack's admin kubeconfig unless `kubeconfig` says otherwise. */
export function kubectl(args: readonly string[], opts: { input?: string; kubeconfig?: string } = {}): Run {
  const r = spawnSync(kubectlPath(), args, {
    input: opts.input,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, KUBECONFIG: opts.kubeconfig ?? stack().kubeconfig },
  });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Like kubectl(), failing with kubectl's own message unless it exits 0. */
export function kubectlOk(args: readonly string[], opts: { input?: string; kubeconfig?: string } = {}): string {
  const r = kubectl(args, opts);
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** `deploy` and every folder under deploy/overlays, as repository-relative paths. */
export function kustomizations(): string[] {
  const overlays = readdirSync(join(repoRoot, 'deploy', 'overlays'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `deploy/overlays/${d.name}`)
    .sort();
  return ['deploy', ...overlays];
}

/** `kubectl kustomize <dir>`: the YAML `kubectl apply -k` would send. */
export const buildYaml = (dir: string): string => kubectlOk(['kustomize', join(repoRoot, dir)]);

export const build = (dir: string): k8s.KubernetesObject[] =>
  (k8s.loadAllYaml(buildYaml(dir)) as k8s.KubernetesObject[]).filter((o) => o !== null && o !== undefined);

/** An object as its YAML says it, field for field (the client's models drop fields they do not know). */
export interface RawObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export const rawObjects = (yaml: string): RawObject[] => loadAll(yaml).filter((o): o is RawObject => typeof o === 'object' && o !== null);

/** `Kind namespace/name` (or `Kind name`), the key two renders' objects are matched by. */
export const objectKey = (o: RawObject): string =>
  `${o.kind ?? '?'} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '?'}`;

export function find<T extends k8s.KubernetesObject>(objects: readonly k8s.KubernetesObject[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the build`);
  return found as T;
}

/** Server-side apply of YAML (`-f -`) or of a file or folder; `dryRun` asks the server to admit and validate without storing. */
export function applyServerSide(source: { yaml: string } | { path: string }, dryRun: boolean): string {
  const from = 'yaml' in source ? ['-f', '-'] : ['-f', join(repoRoot, source.path)];
  return kubectlOk(
    ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', ...(dryRun ? ['--dry-run=server'] : []), ...from],
    'yaml' in source ? { input: source.yaml } : {},
  );
}

/**
 * The evaluation install for real, as docs/install.md says: deploy/crds, then the overlay (base +
 * Temporal dev server). Both deploy test files call this; the same content twice changes nothing,
 * so they never flip each other's objects. The install stays afterwards, as an installed Perch
 * would (kwok plays its pods, nothing runs).
 */
export function installEvaluation(): void {
  applyServerSide({ path: 'deploy/crds' }, false);
  kubectlOk([
    'wait',
    '--for=condition=Established',
    '--timeout=60s',
    'crd/canaries.flagger.app',
    'crd/metrictemplates.flagger.app',
    'crd/alertproviders.flagger.app',
  ]);
  applyServerSide({ yaml: buildYaml('deploy/overlays/evaluation') }, false);
}
