// The command line itself, in process and without Temporal: help documents the exit codes, and a
// bad command line is a usage error (exit 64) that names what was expected.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CliError, ExitCode } from '../../src/cli/errors';
import { type Io, run } from '../../src/cli/program';

async function perch(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  // An address nothing listens on: a test that reached Temporal would fail with exit code 2.
  const env = { TEMPORAL_ADDRESS: '127.0.0.1:1' };
  const code = await run(argv, { env, stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

describe('perch command line', () => {
  it('documents commands, environment and exit codes in --help', async () => {
    const { code, out } = await perch('--help');
    assert.equal(code, 0);
    for (const c of ['list', 'status', 'history', 'pause', 'resume', 'abort', 'promote', 'approve', 'retry'])
      assert.match(out, new RegExp(`^  ${c} `, 'm'), c);
    assert.match(out, /Exit codes:\n {2}0 +success\n {2}1 +no such canary/);
    assert.match(out, /^ {2}2 +Temporal could not be reached/m);
    assert.match(out, /^ {2}64 +bad command line/m);
    assert.match(out, /PERCH_UI_URL/);
    assert.match(out, /TEMPORAL_ADDRESS/);
  });

  it('documents --watch and --until-finished on status', async () => {
    const { code, out } = await perch('status', '--help');
    assert.equal(code, 0);
    assert.match(out, /Usage: perch status \[options\] <\[namespace\/\]name>/);
    assert.match(out, /--watch/);
    assert.match(out, /--until-finished .*\n.*0 Succeeded, 1 Failed/);
  });

  it('rejects a target without a namespace as a usage error', async () => {
    for (const command of ['status', 'history', 'pause']) {
      const { code, err } = await perch(command, 'podinfo');
      assert.equal(code, 64, command);
      assert.match(err, /expected <namespace>\/<name>, e\.g\. test\/podinfo, or -n <namespace>/, command);
      assert.match(err, /--help for usage/, command);
    }
    const { code, err } = await perch('status', 'test/podinfo', '-n', 'prod');
    assert.equal(code, 64);
    assert.match(err, /test\/podinfo is in namespace test, not prod \(-n\)/);
    const both = await perch('list', '-n', 'test', '-A');
    assert.equal(both.code, 64);
    assert.match(both.err, /'-A, --all-namespaces' cannot be used with option '-n, --namespace/);
  });

  it('prints the version from package.json', async () => {
    const { code, out } = await perch('version');
    assert.equal(code, 0);
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    assert.equal(out, `perch ${pkg.version}\n`);
  });

  it("as kubectl perch, names itself so and takes a bare name in the kubeconfig's namespace", async () => {
    let asked = 0;
    // Stands in for reading the kubeconfig, and stops the command there: no Temporal call follows.
    const currentNamespace = (): string => {
      asked++;
      throw new CliError('read the kubeconfig', ExitCode.failure);
    };
    let out = '';
    const io: Io = {
      env: { TEMPORAL_ADDRESS: '127.0.0.1:1' },
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (out += s) },
      invocation: { name: 'kubectl perch', currentNamespace },
    };
    assert.equal(await run(['status', '--help'], io), 0);
    assert.match(out, /Usage: kubectl perch status \[options\] <\[namespace\/\]name>/);
    assert.match(((out = ''), await run(['--help'], io), out), /KUBECONFIG +as for kubectl/);
    assert.equal(asked, 0, 'help reads no kubeconfig');
    for (const argv of [['status', 'podinfo'], ['pause', 'podinfo'], ['list']]) {
      out = '';
      assert.equal(await run(argv, io), 1, argv.join(' '));
      assert.equal(out, 'perch: read the kubeconfig\n');
    }
    assert.equal(asked, 3);
    // A target with its namespace: the kubeconfig is not read; Temporal (nothing listens) is next.
    assert.equal(await run(['status', 'test/podinfo'], io), 2);
    assert.equal(asked, 3);
  });

  it('rejects missing arguments, unknown commands, options and output formats', async () => {
    assert.equal((await perch('pause')).code, 64);
    assert.equal((await perch('frobnicate', 'a/b')).code, 64);
    assert.equal((await perch('list', '--bogus')).code, 64);
    assert.equal((await perch('list', '-o', 'yaml')).code, 64);
    assert.equal((await perch('history', 'a/b', '--limit', '0')).code, 64);
    assert.equal((await perch()).code, 64);
  });
});
