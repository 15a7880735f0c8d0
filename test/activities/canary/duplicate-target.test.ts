// Two Canaries on one target: the older keeps it, the younger is refused naming the older; an
// older one that is invalid and never initialised holds nothing. Pure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { duplicateTargetProblem } from '../../../src/activities/canary/duplicate-target';
import { type Canary } from '../../../src/api/canary';
import { seedCanary } from '../../api/fixtures';

/** The seed Canary (valid) under another name, creation time and target. */
function canary(
  name: string,
  created: string,
  target = 'podinfo',
  over: Partial<Canary['metadata']> = {},
  kind: Canary['spec']['targetRef']['kind'] = 'Deployment',
): Canary {
  const c = seedCanary();
  c.metadata = { ...c.metadata, name, namespace: 'test', creationTimestamp: created, ...over };
  c.spec.targetRef = { ...c.spec.targetRef, kind, name: target };
  return c;
}

const refusal = (older: string) =>
  `Bad things will happen! Found more than one canary with the same target podinfo.test: canary ${older}.test already targets it and keeps it`;

describe('duplicate targets', () => {
  const first = canary('first', '2026-12-01T10:00:00Z');
  const second = canary('second', '2026-12-01T11:00:00Z');

  it('refuses the younger Canary, naming the older one', () => {
    assert.equal(duplicateTargetProblem(second, [first, second]), refusal('first'));
  });

  it('lets the older one keep working', () => {
    assert.equal(duplicateTargetProblem(first, [first, second]), undefined);
  });

  it('names the oldest of several', () => {
    const third = canary('third', '2026-12-01T12:00:00Z');
    assert.equal(duplicateTargetProblem(third, [second, third, first]), refusal('first'));
  });

  it('orders Canaries created in the same second by name, so exactly one of them runs', () => {
    const a = canary('a', '2026-12-01T10:00:00Z');
    const b = canary('b', '2026-12-01T10:00:00Z');
    assert.equal(duplicateTargetProblem(a, [a, b]), undefined);
    assert.equal(duplicateTargetProblem(b, [a, b]), refusal('a'));
  });

  it('ignores an older Canary that is invalid and never initialised, but not one that initialised before', () => {
    const invalid = canary('invalid', '2026-12-01T09:00:00Z');
    invalid.spec.analysis.metrics = [{ name: 'error-rate', thresholdRange: { max: 1 } }];
    assert.equal(duplicateTargetProblem(second, [invalid, second]), undefined);
    invalid.status = { phase: 'Succeeded', lastAppliedSpec: 'abc' };
    assert.equal(duplicateTargetProblem(second, [invalid, second]), refusal('invalid'));
  });

  it('ignores other targets, other kinds, other namespaces and Canaries being deleted', () => {
    const others = [
      canary('other-target', '2026-12-01T09:00:00Z', 'backend'),
      canary('other-kind', '2026-12-01T09:00:00Z', 'podinfo', {}, 'DaemonSet'),
      canary('other-namespace', '2026-12-01T09:00:00Z', 'podinfo', { namespace: 'prod' }),
      canary('leaving', '2026-12-01T09:00:00Z', 'podinfo', { deletionTimestamp: '2026-12-01T12:00:00Z' }),
    ];
    assert.equal(duplicateTargetProblem(second, [...others, second]), undefined);
  });
});
