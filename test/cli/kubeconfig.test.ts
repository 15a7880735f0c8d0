// kubectl perch's default namespace, read from a kubeconfig file as kubectl reads it: the current
// context's namespace, else "default"; a namespace that is no Kubernetes name is refused, since it
// would go into Temporal visibility queries.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CliError } from '../../src/cli/errors';
import { kubeconfigNamespace } from '../../src/cli/kubeconfig';

function kubeconfig(namespace?: string): string {
  const context = { cluster: 'c', user: 'u', ...(namespace === undefined ? {} : { namespace }) };
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'now',
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
    users: [{ name: 'u', user: {} }],
    contexts: [
      { name: 'other', context: { cluster: 'c', user: 'u', namespace: 'not-this' } },
      { name: 'now', context },
    ],
  });
}

describe('kubectl perch: the kubeconfig namespace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perch-kubeconfig-'));
  const saved = process.env.KUBECONFIG;
  after(() => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
    rmSync(dir, { recursive: true, force: true });
  });
  const withKubeconfig = (text: string): string => {
    const path = join(dir, `config-${Math.random().toString(36).slice(2)}`);
    writeFileSync(path, text);
    process.env.KUBECONFIG = path;
    return path;
  };

  it("is the current context's namespace, else default", () => {
    withKubeconfig(kubeconfig('team-a'));
    assert.equal(kubeconfigNamespace(), 'team-a');
    withKubeconfig(kubeconfig());
    assert.equal(kubeconfigNamespace(), 'default');
  });

  it('refuses a namespace that is no Kubernetes name, and an unreadable kubeconfig', () => {
    withKubeconfig(kubeconfig('a" OR 1=1'));
    assert.throws(
      () => kubeconfigNamespace(),
      (e: unknown) => e instanceof CliError && /current namespace: .*not a Kubernetes namespace name/.test(e.message),
    );
    withKubeconfig('{ not yaml: [');
    assert.throws(
      () => kubeconfigNamespace(),
      (e: unknown) => e instanceof CliError && /cannot read the kubeconfig/.test(e.message),
    );
  });
});
