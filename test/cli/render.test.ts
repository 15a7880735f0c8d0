// What the commands print: the status a person reads, the list and history tables, and the line
// each signal answers with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderHistory, renderList, renderStatus, signalLine } from '../../src/cli/render';
import { type RolloutView } from '../../src/workflows/messages';

const view = (v: Partial<RolloutView> = {}): RolloutView => ({
  phase: 'Progressing',
  revision: '5f8d',
  canaryWeight: 20,
  iterations: 4,
  failedChecks: 1,
  paused: false,
  checks: {},
  ...v,
});

describe('status output', () => {
  it('shows phase, weight, iteration, failed checks, last event and the UI link', () => {
    const text = renderStatus({ canary: 'test/podinfo', view: view({ lastEvent: 'Advance podinfo.test canary weight 20' }), ui: 'http://ui/x' });
    assert.match(text, /^Phase +Progressing$/m);
    assert.match(text, /^Weight +20%$/m);
    assert.match(text, /^Iteration +4$/m);
    assert.match(text, /^Failed checks +1$/m);
    assert.match(text, /^Revision +5f8d$/m);
    assert.match(text, /^Last event +Advance podinfo.test canary weight 20$/m);
    assert.match(text, /^Temporal UI +http:\/\/ui\/x$/m);
    assert.match(text, /No checks have run/);
    assert.doesNotMatch(text, /Waiting for/);
    assert.doesNotMatch(text, /Last rollout/);
  });

  it('says how the last rollout ended and why, once it has', () => {
    const text = renderStatus({
      canary: 'test/podinfo',
      ui: 'u',
      view: view({
        phase: 'Failed',
        lastRollout: {
          revision: '5f8d',
          outcome: 'Failed',
          strategy: 'canary',
          startedAt: '2025-01-01T00:00:00.000Z',
          finishedAt: '2025-01-01T00:01:40.000Z',
          reason: '5 of 5 allowed failed checks; last failure: Halt podinfo.test advancement request-success-rate 97.51 < 99',
        },
      }),
    });
    assert.match(
      text,
      /^Last rollout +Failed 2025-01-01 00:01:40Z, revision 5f8d: 5 of 5 allowed failed checks; last failure: .*request-success-rate 97\.51 < 99$/m,
    );
  });

  it('says when it is paused and which gate it waits at, with the command that moves it on', () => {
    const text = renderStatus({ canary: 'test/podinfo', view: view({ paused: true, waitingFor: 'confirm-promotion' }), ui: 'u' });
    assert.match(text, /^Phase +Progressing \(paused: `perch resume test\/podinfo` continues\)$/m);
    assert.match(text, /^Waiting for +confirm-promotion \(`perch approve test\/podinfo` approves it once\)$/m);
  });

  it("lists every check's last value, threshold and result, and why a failing one failed", () => {
    const text = renderStatus({
      canary: 'test/podinfo',
      ui: 'u',
      view: view({
        checks: {
          'request-success-rate': {
            name: 'request-success-rate',
            kind: 'metric',
            ok: false,
            value: 97.51234,
            threshold: '>= 99',
            message: 'success rate 97.51 < 99',
            at: '2025-01-01T00:00:05.000Z',
          },
          'load-test': { name: 'load-test', kind: 'webhook', ok: true, message: 'ok', at: '2025-01-01T00:00:04.000Z' },
        },
      }),
    });
    const lines = text.split('\n');
    const header = lines.findIndex((l) => l.startsWith('CHECK'));
    assert.match(lines[header] ?? '', /^CHECK +KIND +VALUE +THRESHOLD +RESULT +AT$/);
    assert.match(lines[header + 1] ?? '', /^load-test +webhook +- +- +pass +2025-01-01 00:00:04Z$/);
    assert.match(lines[header + 2] ?? '', /^request-success-rate +metric +97\.512 +>= 99 +FAIL +2025-01-01 00:00:05Z$/);
    assert.ok(lines.includes('request-success-rate: success rate 97.51 < 99'), text);
  });
});

describe('list and history output', () => {
  it('lists canaries with a dash for what is not known yet', () => {
    const text = renderList([
      { namespace: 'test', name: 'podinfo', target: 'podinfo', phase: 'Progressing', weight: 10, revision: 'abc' },
      { namespace: 'test', name: 'other' },
    ]);
    assert.deepEqual(
      text.split('\n').map((l) => l.split(/ {2,}/)),
      [
        ['NAMESPACE', 'NAME', 'TARGET', 'PHASE', 'WEIGHT', 'REVISION'],
        ['test', 'podinfo', 'podinfo', 'Progressing', '10%', 'abc'],
        ['test', 'other', '-', '-', '-', '-'],
      ],
    );
    assert.match(renderList([]), /No canaries/);
  });

  it('lists rollouts with duration and reason', () => {
    const text = renderHistory('test/podinfo', [
      {
        runId: 'r1',
        revision: 'abc',
        outcome: 'Failed',
        reason: 'Rolling back podinfo.test abort requested',
        strategy: 'canary',
        startedAt: '2025-01-01T00:00:00Z',
        finishedAt: '2025-01-01T00:01:05Z',
        durationMs: 65_000,
      },
    ]);
    assert.deepEqual(text.split('\n')[1]?.split(/ {2,}/), [
      '2025-01-01 00:00:00Z',
      '1m05s',
      'Failed',
      'canary',
      'abc',
      'Rolling back podinfo.test abort requested',
    ]);
    assert.match(renderHistory('test/podinfo', []), /test\/podinfo has not finished a rollout yet/);
  });
});

describe('signal lines', () => {
  it('say what each signal does to a running rollout', () => {
    const running = view();
    assert.match(signalLine('pause', 'test/podinfo', running), /holds .* until `perch resume test\/podinfo`/);
    assert.match(signalLine('resume', 'test/podinfo', view({ paused: true })), /continues/);
    assert.match(signalLine('abort', 'test/podinfo', running), /rolls back/);
    assert.match(signalLine('promote', 'test/podinfo', running), /promotes now/);
    assert.match(signalLine('approve', 'test/podinfo', view({ waitingFor: 'confirm-traffic-increase' })), /confirm-traffic-increase gate opens once/);
    assert.match(signalLine('retry', 'test/podinfo', view({ phase: 'Failed' })), /rolls out again/);
  });

  it('say when the signal will change nothing', () => {
    const done = view({ phase: 'Succeeded' });
    assert.match(signalLine('abort', 'test/podinfo', done), /No rollout is running \(phase Succeeded\).*nothing to roll back/);
    assert.match(signalLine('promote', 'test/podinfo', done), /nothing to promote/);
    assert.match(signalLine('approve', 'test/podinfo', done), /ignored/);
    assert.match(signalLine('retry', 'test/podinfo', done), /nothing to retry/);
    assert.match(signalLine('resume', 'test/podinfo', view({ paused: false })), /was not paused/);
  });

  it('fall back to a general line when the state is unknown', () => {
    for (const s of ['pause', 'resume', 'abort', 'promote', 'approve', 'retry'] as const) {
      assert.match(signalLine(s, 'test/podinfo', undefined), /^[A-Z][a-z]+ing test\/podinfo: /, s);
    }
  });
});
