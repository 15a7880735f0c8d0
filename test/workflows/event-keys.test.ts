// The Events' occurrence keys: pure, no server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventKeys } from '../../src/workflows/event-keys';

describe('EventKeys', () => {
  it('keys a step Event the same whether or not a task run again reported an extra warning before it', () => {
    // The first attempt: the check passed and the promotion began.
    const first = new EventKeys('run-1');
    first.next('Normal', 'Advance podinfo.test canary weight 50');
    const copied = first.next('Normal', 'Copying podinfo.test template spec to podinfo-primary.test');
    // The same task run again by another worker: the check failed once, then passed.
    const again = new EventKeys('run-1');
    again.next('Normal', 'Advance podinfo.test canary weight 50');
    again.next('Warning', 'Halt advancement no values found for contour metric request-success-rate');
    assert.equal(again.next('Normal', 'Copying podinfo.test template spec to podinfo-primary.test'), copied);
  });

  it('gives each repetition of one text its own key, and each run its own keys', () => {
    const keys = new EventKeys('run-1');
    const halt = 'Halt podinfo.test advancement waiting for approval gate';
    assert.deepEqual([keys.next('Warning', halt), keys.next('Warning', halt)], ['run-1/Warning/1', 'run-1/Warning/2']);
    assert.equal(new EventKeys('run-2').next('Warning', halt), 'run-2/Warning/1');
  });

  it('counts texts equal in the part the writer keeps as one Event', () => {
    const keys = new EventKeys('run-1');
    const long = 'x'.repeat(1024);
    keys.next('Normal', `${long}a`);
    assert.equal(keys.next('Normal', `${long}b`), 'run-1/Normal/2');
    assert.equal(keys.next('Warning', `${long}a`), 'run-1/Warning/1');
  });
});
