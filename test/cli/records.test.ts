// Reading canaries (search attributes) and rollouts (run memos) out of visibility records.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TypedSearchAttributes } from '@temporalio/common';
import { canarySummary, newestFirst, rolloutEntry } from '../../src/cli/records';
import { searchAttributes as sa } from '../../src/workflows/search-attributes';

describe('canary summaries', () => {
  it('come from the search attributes', () => {
    const attrs = new TypedSearchAttributes([
      { key: sa.canaryNamespace, value: 'prod' },
      { key: sa.canaryName, value: 'api' },
      { key: sa.target, value: 'api-deploy' },
      { key: sa.phase, value: 'Progressing' },
      { key: sa.canaryWeight, value: 30 },
      { key: sa.revision, value: 'abc123' },
    ]);
    assert.deepEqual(canarySummary('canary/prod/api', attrs), {
      namespace: 'prod',
      name: 'api',
      target: 'api-deploy',
      phase: 'Progressing',
      weight: 30,
      revision: 'abc123',
    });
  });

  it('fall back to the workflow ID before the workflow has set its attributes', () => {
    assert.deepEqual(canarySummary('canary/test/podinfo', new TypedSearchAttributes()), {
      namespace: 'test',
      name: 'podinfo',
      target: undefined,
      phase: undefined,
      weight: undefined,
      revision: undefined,
    });
    assert.equal(canarySummary('something-else', new TypedSearchAttributes()), undefined);
  });
});

describe('rollout entries', () => {
  const record = {
    revision: 'abc',
    outcome: 'Failed',
    reason: 'abort requested',
    strategy: 'canary',
    startedAt: '2025-01-01T00:00:00Z',
    finishedAt: '2025-01-01T00:00:42Z',
  };

  it('come from the run memo, with their duration', () => {
    assert.deepEqual(rolloutEntry('run-1', { rollout: record }), { ...record, runId: 'run-1', durationMs: 42_000 });
    assert.equal(rolloutEntry('run-1', { rollout: { ...record, reason: undefined, outcome: 'Succeeded' } })?.reason, undefined);
  });

  it('are absent for runs without a rollout and for records that do not fit', () => {
    assert.equal(rolloutEntry('r', undefined), undefined);
    assert.equal(rolloutEntry('r', {}), undefined);
    assert.equal(rolloutEntry('r', { rollout: { ...record, outcome: 'Maybe' } }), undefined);
    assert.equal(rolloutEntry('r', { rollout: { ...record, startedAt: 5 } }), undefined);
    assert.equal(rolloutEntry('r', { rollout: 'text' }), undefined);
  });

  it('sort newest first', () => {
    const a = rolloutEntry('a', { rollout: record });
    const b = rolloutEntry('b', { rollout: { ...record, startedAt: '2025-01-02T00:00:00Z', finishedAt: '2025-01-02T00:01:00Z' } });
    assert.ok(a && b);
    assert.deepEqual(
      [a, b].sort(newestFirst).map((e) => e.runId),
      ['b', 'a'],
    );
  });
});
