// `kubectl perch`: package.json's bin entries linked onto PATH as `npm install -g` links them, and
// run by the stack's real kubectl as a plugin against a live canary. As with kubectl itself, the
// kubeconfig's current namespace is the default; -n or <namespace>/<name> win; list stays in the
// namespace unless -A.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CanarySummary } from '../../src/cli/records';
import { kubectlPath } from '../deploy/install';
import { Scenario } from '../support/scenario';
import { stack } from '../support/stack';

const NS = 'plugin-test';
const repoRoot = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };

describe('kubectl perch (the CLI as a kubectl plugin)', () => {
  const s = new Scenario(NS);
  const dir = mkdtempSync(join(tmpdir(), 'perch-plugin-'));
  const bin = join(dir, 'bin');
  const kubeconfig = join(dir, 'kubeconfig');

  /** `kubectl ...args` with only the linked bins and node on PATH, and the copied kubeconfig. */
  function kubectl(...args: string[]): { code: number | null; stdout: string; stderr: string } {
    const r = spawnSync(kubectlPath(), args, {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: `${bin}:${dirname(process.execPath)}`, KUBECONFIG: kubeconfig, TEMPORAL_ADDRESS: stack().temporal },
    });
    if (r.error) throw r.error;
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  function ok(...args: string[]): string {
    const r = kubectl(...args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  before(async () => {
    // What npm does for a global install: each bin entry linked by its name, its target executable.
    mkdirSync(bin);
    for (const [name, target] of Object.entries(pkg.bin)) {
      chmodSync(join(repoRoot, target), 0o755);
      symlinkSync(join(repoRoot, target), join(bin, name));
    }
    // The stack's kubeconfig with the current context in the canary's namespace, set by kubectl.
    copyFileSync(stack().kubeconfig, kubeconfig);
    ok('config', 'set-context', '--current', `--namespace=${NS}`);
    await s.given();
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
  });
  after(async () => {
    await s.tearDown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is found by kubectl on PATH, and prints the version', () => {
    assert.match(ok('plugin', 'list'), new RegExp(`^${join(bin, 'kubectl-perch')}$`, 'm'));
    assert.equal(ok('perch', 'version'), `perch ${pkg.version}\n`);
    assert.match(ok('perch', '--help'), /^Usage: kubectl perch \[options\] \[command\]$/m);
  });

  it("shows a canary named without a namespace in the kubeconfig's namespace", () => {
    const text = ok('perch', 'status', 'podinfo');
    assert.match(text, /^Phase +Initialized$/m);
    assert.match(text, new RegExp(`^Temporal UI +.*/workflows/canary%2F${NS}%2Fpodinfo$`, 'm'));
    const json = JSON.parse(ok('perch', 'status', 'podinfo', '-o', 'json')) as { phase: string };
    assert.equal(json.phase, 'Initialized');
  });

  it('takes -n or <namespace>/<name> over the kubeconfig', () => {
    for (const args of [
      ['status', 'podinfo', '-n', 'elsewhere'],
      ['status', 'elsewhere/podinfo'],
      ['history', 'podinfo', '--namespace', 'elsewhere'],
    ]) {
      const r = kubectl('perch', ...args);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^perch: no canary elsewhere\/podinfo is managed by Perch/, args.join(' '));
    }
    assert.match(ok('perch', 'status', `${NS}/podinfo`, '-n', NS), /^Phase +Initialized$/m);
  });

  it("lists the kubeconfig's namespace, another with -n, every one with -A", () => {
    const list = (...args: string[]) =>
      (JSON.parse(ok('perch', 'list', '-o', 'json', ...args)) as CanarySummary[]).map((c) => `${c.namespace}/${c.name}`);
    assert.deepEqual(list(), [`${NS}/podinfo`]);
    assert.deepEqual(list('-n', 'elsewhere'), []);
    assert.ok(list('-A').includes(`${NS}/podinfo`));
  });
});
