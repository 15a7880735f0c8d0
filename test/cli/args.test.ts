// The command line's values: targets, namespaces and limits are checked before anything is sent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { parseLimit, parseNamespace, parseTarget, refText } from '../../src/cli/args';

describe('cli arguments', () => {
  it('reads <namespace>/<name>', () => {
    assert.deepEqual(parseTarget('test/podinfo'), { namespace: 'test', name: 'podinfo' });
    assert.deepEqual(parseTarget('prod-1/api.v2'), { namespace: 'prod-1', name: 'api.v2' });
    assert.equal(refText(parseTarget('test/podinfo')), 'test/podinfo');
  });

  it('rejects anything else as a usage error naming the expected form', () => {
    for (const bad of ['podinfo', 'test/', '/podinfo', 'a/b/c', '']) {
      assert.throws(() => parseTarget(bad), (e: unknown) => e instanceof InvalidArgumentError && /<namespace>\/<name>/.test(e.message), bad);
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
