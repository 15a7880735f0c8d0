// writeCanaryStatus and recordEvent on a real Canary: the status subresource with Flagger's
// Promoted condition, and Events that `kubectl describe canary` shows, counted when repeated.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { type Canary } from '../../../src/api/canary';
import { createNamespace, deleteNamespace } from '../../support/namespace';
import { kubeConfig } from '../../support/stack';
import { applyCrds, captureStdout, createCanary, eventsFor, getCanary, kubectl } from './canary-fixture';
import { stackActivities } from '../stack-activities';

const { recordEvent, writeCanaryStatus } = stackActivities();

describe('Canary status and events', () => {
  const kc = kubeConfig();
  let ns = '';
  let canary: Canary;
  const read = () => getCanary(kc, ns, 'podinfo');
  const write = (status: Parameters<typeof writeCanaryStatus>[0]['status']) => writeCanaryStatus({ namespace: ns, name: 'podinfo', status });

  before(async () => {
    applyCrds();
    ns = await createNamespace(kc, 'act-status');
    canary = await createCanary(kc, ns);
  });
  after(async () => {
    await deleteNamespace(kc, ns);
  });

  it('writes the phase with a Promoted condition, as Flagger words it', async () => {
    await write({ phase: 'Initializing' });
    const s = (await read()).status;
    assert.equal(s?.phase, 'Initializing');
    assert.match(s?.lastTransitionTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(
      s?.conditions?.map(({ type, status, reason, message }) => ({ type, status, reason, message })),
      [{ type: 'Promoted', status: 'Unknown', reason: 'Initializing', message: 'New Deployment detected, starting initialization.' }],
    );
  });

  it('walks the condition through the phases: True, Unknown, True, False', async () => {
    const expected = [
      ['Initialized', 'True', 'Deployment initialization completed.'],
      ['Progressing', 'Unknown', 'New revision detected, progressing canary analysis.'],
      ['WaitingPromotion', 'Unknown', 'Waiting for approval.'],
      ['Promoting', 'Unknown', 'Canary analysis completed, starting primary rolling update.'],
      ['Finalising', 'Unknown', 'Canary analysis completed, routing all traffic to primary.'],
      ['Succeeded', 'True', 'Canary analysis completed successfully, promotion finished.'],
      ['Failed', 'False', 'Canary analysis failed, Deployment scaled to zero.'],
    ] as const;
    for (const [phase, status, message] of expected) {
      await write({ phase, canaryWeight: 0 });
      const c = (await read()).status?.conditions;
      assert.equal(c?.length, 1);
      assert.deepEqual([c?.[0]?.reason, c?.[0]?.status, c?.[0]?.message], [phase, status, message]);
    }
  });

  // When lastTransitionTime moves is statusPatch's rule, tested without a clock (status-patch.test.ts).
  it('merges the fields given, and moves the condition time only when its status changes', async () => {
    await write({ phase: 'Progressing', canaryWeight: 0, failedChecks: 0, iterations: 0, lastAppliedSpec: 'rev-1' });
    const first = (await read()).status;
    await write({ phase: 'Progressing', canaryWeight: 10, failedChecks: 1 });
    const second = (await read()).status;
    assert.equal(second?.canaryWeight, 10);
    assert.equal(second?.failedChecks, 1);
    assert.equal(second?.lastAppliedSpec, 'rev-1');
    await write({ phase: 'Promoting' });
    const third = (await read()).status;
    // Unknown → Unknown: a new reason, but the condition's own transition time stays.
    assert.equal(third?.conditions?.[0]?.lastTransitionTime, first?.conditions?.[0]?.lastTransitionTime);
    assert.equal(third?.conditions?.[0]?.reason, 'Promoting');
  });

  it('replaces trackedConfigs instead of merging them, and writes nothing when nothing changes', async () => {
    await write({ trackedConfigs: { 'configmap/a': '1', 'secret/b': '2' } });
    await write({ trackedConfigs: { 'configmap/a': '3' } });
    const c = await read();
    assert.deepEqual(c.status?.trackedConfigs, { 'configmap/a': '3' });
    await write({ phase: c.status?.phase, trackedConfigs: { 'configmap/a': '3' } });
    assert.equal((await read()).metadata.resourceVersion, c.metadata.resourceVersion);
  });

  it('fails without retry for a Canary that does not exist', async () => {
    await assert.rejects(
      writeCanaryStatus({ namespace: ns, name: 'ghost', status: { phase: 'Failed' } }),
      (err: unknown) => err instanceof ApplicationFailure && err.nonRetryable === true && err.type === 'CanaryNotFound',
    );
  });

  it('records a Synced Event that kubectl describe shows, plus exactly one JSON log line', async () => {
    const message = `Initialization done! podinfo.${ns}`;
    const lines = await captureStdout(() =>
      recordEvent({ namespace: ns, name: 'podinfo', type: 'Normal', reason: 'Synced', message, detail: { phase: 'Initialized', weight: 0 } }),
    );
    assert.equal(lines.length, 1);
    const line = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    assert.deepEqual(
      { ...line, ts: undefined },
      { level: 'info', ts: undefined, msg: message, canary: `podinfo.${ns}`, phase: 'Initialized', weight: 0 },
    );
    assert.ok(!Number.isNaN(Date.parse(String(line.ts))));

    const events = await eventsFor(kc, ns, message);
    assert.equal(events.length, 1);
    const e = events[0];
    assert.deepEqual([e?.type, e?.reason, e?.count, e?.reportingComponent, e?.source?.component], ['Normal', 'Synced', 1, 'perch', 'perch']);
    assert.deepEqual(
      { ...e?.involvedObject },
      { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: 'podinfo', namespace: ns, uid: canary.metadata.uid },
    );
    assert.match(
      kubectl('describe', 'canary', 'podinfo', '-n', ns),
      new RegExp(`Normal\\s+Synced\\s+.*perch\\s+${message.replace(/[.!]/g, '\\$&')}`),
    );
  });

  it('counts a repeated Event on the existing one instead of adding another', async () => {
    const message = `Halt podinfo.${ns} advancement waiting for approval gate`;
    for (let i = 0; i < 3; i++) {
      await captureStdout(() =>
        recordEvent({ namespace: ns, name: 'podinfo', uid: canary.metadata.uid, type: 'Warning', reason: 'Synced', message }),
      );
    }
    const events = await eventsFor(kc, ns, message);
    assert.deepEqual(
      events.map((e) => [e.type, e.count]),
      [['Warning', 3]],
    );
  });
});
