// The command line's values: targets, namespaces and limits are checked before anything is sent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { parseLimit, parseNamespace, parseTarget, refText, resolveTarget } from '../../src/cli/args';

describe('cli arguments', () => {
  it('reads <namespace>/<name> and a bare <name>', () => {
    assert.deepEqual(parseTarget('test/podinfo'), { namespace: 'test', name: 'podinfo' });
    assert.deepEqual(parseTarget('prod-1/api.v2'), { namespace: 'prod-1', name: 'api.v2' });
    assert.deepEqual(parseTarget('podinfo'), { name: 'podinfo' });
    assert.equal(refText(resolveTarget(parseTarget('test/podinfo'), undefined)), 'test/podinfo');
  });

  it('takes the namespace from the target, else -n, else the fallback (kubectl perch: the kubeconfig)', () => {
    const kubeconfig = () => 'from-kubeconfig';
    assert.deepEqual(resolveTarget({ namespace: 'test', name: 'podinfo' }, undefined, kubeconfig), { namespace: 'test', name: 'podinfo' });
    assert.deepEqual(resolveTarget({ namespace: 'test', name: 'podinfo' }, 'test', kubeconfig), { namespace: 'test', name: 'podinfo' });
    assert.deepEqual(resolveTarget({ name: 'podinfo' }, 'prod', kubeconfig), { namespace: 'prod', name: 'podinfo' });
    assert.deepEqual(resolveTarget({ name: 'podinfo' }, undefined, kubeconfig), { namespace: 'from-kubeconfig', name: 'podinfo' });
    assert.throws(
      () => resolveTarget({ name: 'podinfo' }, undefined),
      (e: unknown) => e instanceof InvalidArgumentError && /<namespace>\/<name>.*-n <namespace>/.test(e.message),
    );
    assert.throws(
      () => resolveTarget({ namespace: 'test', name: 'podinfo' }, 'prod', kubeconfig),
      (e: unknown) => e instanceof InvalidArgumentError && /test\/podinfo is in namespace test, not prod/.test(e.message),
    );
  });

  it('rejects anything else as a usage error naming the expected form', () => {
    for (const bad of ['test/', '/podinfo', 'a/b/c', '']) {
      assert.throws(
        () => parseTarget(bad),
        (e: unknown) => e instanceof InvalidArgumentError && /<namespace>\/<name>/.test(e.message),
        bad,
      );
    }
    // Quotes and upper case never reach a visibility query.
    assert.throws(() => parseTarget('test/pod"info'), InvalidArgumentError);
    assert.throws(() => parseTarget('Test/podinfo'), InvalidArgumentError);
    assert.throws(() => parseNamespace('a" OR 1=1'), InvalidArgumentError);
    assert.equal(parseNamespace('cli-test'), 'cli-test');
  });

  it('takes a limit of one or more', () => {
    assert.equal(parseLimit('5'), 5);
    for (const bad of ['0', '-1', '2.5', 'ten', '']) assert.throws(() => parseLimit(bad), InvalidArgumentError, bad);
  });
});
