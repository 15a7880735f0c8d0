// The reporting activities on a real Canary: `report` (status and a step's Events in one call),
// `writeEvents` (Events only, no webhooks), `notifyEventHooks` (webhooks only), the Events' source
// setting, and Events that survive an API server outage: the write throws so Temporal retries it,
// and the occurrence key keeps it counted once however often it is retried.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { ApplicationFailure } from '@temporalio/common';
import { type WebhookSettings } from '../../../src/api/canary-settings';
import { type Canary } from '../../../src/api/canary';
import { OCCURRENCE_ANNOTATION, ROLLOUT_ANNOTATION } from '../../../src/activities/status/event-writer';
import { createNamespace, deleteNamespace } from '../../support/namespace';
import { kubeConfig } from '../../support/stack';
import { Receiver } from '../../support/receiver';
import { stackActivities } from '../stack-activities';
import { TcpForwarder } from '../../support/tcp-forwarder';
import { applyCrds, captureStdout, createCanary, eventsFor, getCanary } from './canary-fixture';

const eventHook = (url: string): WebhookSettings => ({
  name: 'audit',
  type: 'event',
  url,
  timeoutMs: 5000,
  metadata: { team: 'web' },
  muteAlert: false,
  retries: 0,
  disableTLS: false,
});

const failure =
  (type: string, nonRetryable: boolean) =>
  (err: unknown): boolean => {
    assert.ok(err instanceof ApplicationFailure, String(err));
    assert.equal(err.type, type, err.message);
    assert.equal(err.nonRetryable, nonRetryable, err.message);
    return true;
  };

describe('reporting a rollout step', () => {
  const kc = kubeConfig();
  const activities = stackActivities();
  let receiver: Receiver;
  let ns = '';
  let canary: Canary;

  before(async () => {
    applyCrds();
    ns = await createNamespace(kc, 'act-events');
    canary = await createCanary(kc, ns);
    receiver = await Receiver.start();
  });
  after(async () => {
    await receiver.close();
    await deleteNamespace(kc, ns);
  });

  it("writes a step's Events in one call, each once however often the call repeats, and its status", async () => {
    const step = {
      namespace: ns,
      name: 'podinfo',
      status: { phase: 'Progressing' as const, canaryWeight: 10, failedChecks: 0 },
      events: [
        { type: 'Normal' as const, reason: 'Synced', message: `Starting canary analysis for podinfo.${ns}`, key: 'run-1/1' },
        { type: 'Normal' as const, reason: 'Synced', message: `Advance podinfo.${ns} canary weight 10`, key: 'run-1/2' },
      ],
    };
    const lines = await captureStdout(() => activities.writeEvents(step));
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as { msg: string }).msg),
      step.events.map((e) => e.message),
    );
    // A retry of the same call (a worker died after the write): nothing is counted twice.
    await captureStdout(() => activities.writeEvents(step));
    await activities.writeCanaryStatus(step);
    const status = (await getCanary(kc, ns, 'podinfo')).status;
    assert.deepEqual([status?.phase, status?.canaryWeight], ['Progressing', 10]);
    for (const e of step.events) {
      assert.deepEqual(
        (await eventsFor(kc, ns, e.message)).map((x) => [x.count, x.involvedObject.uid]),
        [[1, canary.metadata.uid]],
      );
    }
  });

  it('writeEvents writes Events and posts to no webhook; notifyEventHooks posts and writes nothing', async () => {
    receiver.on('/events', { status: 202 });
    const message = `Promotion completed! Scaling down podinfo.${ns}`;
    await captureStdout(() =>
      activities.writeEvents({ namespace: ns, name: 'podinfo', events: [{ type: 'Normal', reason: 'Synced', message, key: 'run-2/1' }] }),
    );
    assert.equal(receiver.to('/events').length, 0);
    assert.equal((await eventsFor(kc, ns, message)).length, 1);

    const posted = `Halt podinfo.${ns} advancement`;
    await activities.notifyEventHooks({
      namespace: ns,
      name: 'podinfo',
      events: [{ type: 'Warning', message: posted }],
      notice: { hooks: [eventHook(receiver.url('/events'))], phase: 'Progressing', checksum: 'abc' },
    });
    assert.equal((await eventsFor(kc, ns, posted)).length, 0);
    const body = JSON.parse(receiver.requests.find((r) => r.path === '/events')?.body ?? '{}') as Record<string, unknown>;
    assert.deepEqual(
      { ...body, metadata: { ...(body.metadata as object), timestamp: undefined } },
      {
        name: 'podinfo',
        namespace: ns,
        phase: 'Progressing',
        checksum: 'abc',
        metadata: { team: 'web', eventMessage: posted, eventType: 'Warning', timestamp: undefined },
      },
    );
  });

  it('marks each Event with the rollout it last occurred in', async () => {
    const message = `Advance podinfo.${ns} canary weight 5`;
    const event = (rollout: string, key: string) => ({ type: 'Normal' as const, reason: 'Synced', message, key, rollout });
    await captureStdout(() => activities.writeEvents({ namespace: ns, name: 'podinfo', events: [event('2026-12-03T10:00:00.000Z', 'run-4/1')] }));
    await captureStdout(() => activities.writeEvents({ namespace: ns, name: 'podinfo', events: [event('2026-12-03T11:00:00.000Z', 'run-5/1')] }));
    const [e] = await eventsFor(kc, ns, message);
    assert.deepEqual(
      [e?.count, e?.metadata.annotations?.[ROLLOUT_ANNOTATION], e?.metadata.annotations?.[OCCURRENCE_ANNOTATION]],
      [2, '2026-12-03T11:00:00.000Z', 'run-5/1'],
    );
  });

  it('posts to PERCH_EVENT_WEBHOOK_URL for a Canary without event hooks of its own', async () => {
    receiver.on('/global', { status: 200 });
    const global = stackActivities({ eventWebhookUrl: receiver.url('/global') });
    await global.notifyEventHooks({
      namespace: ns,
      name: 'podinfo',
      events: [
        { type: 'Normal', message: 'one' },
        { type: 'Normal', message: 'two' },
      ],
      notice: { hooks: [], phase: 'Succeeded', checksum: '' },
    });
    const messages = receiver.requests
      .filter((r) => r.path === '/global')
      .map((r) => (JSON.parse(r.body) as { metadata: { eventMessage: string } }).metadata.eventMessage);
    assert.deepEqual(messages, ['one', 'two']);
  });

  it("names the Events' source as PERCH_EVENT_SOURCE says", async () => {
    const message = `New revision detected! Scaling up podinfo.${ns}`;
    await captureStdout(() =>
      stackActivities({ eventSource: 'flagger' }).writeEvents({
        namespace: ns,
        name: 'podinfo',
        events: [{ type: 'Normal', reason: 'Synced', message }],
      }),
    );
    const [e] = await eventsFor(kc, ns, message);
    assert.deepEqual([e?.source?.component, e?.reportingComponent], ['flagger', 'flagger']);
  });

  it('fails without retry once the Canary is gone', async () => {
    const write = activities.writeEvents({ namespace: ns, name: 'ghost', events: [{ type: 'Normal', reason: 'Synced', message: 'm' }] });
    await assert.rejects(
      captureStdout(() => write),
      failure('CanaryNotFound', true),
    );
  });

  it('throws while the API server is unreachable, and counts the Event once when a retry lands', async () => {
    const server = new URL(kc.getCurrentCluster()?.server ?? '');
    const forwarder = new TcpForwarder({ host: server.hostname, port: Number(server.port) });
    await forwarder.open();
    try {
      const cut = new k8s.KubeConfig();
      cut.loadFromOptions({
        clusters: kc.clusters.map((c) => ({ ...c, server: `https://127.0.0.1:${forwarder.port}` })),
        users: kc.users,
        contexts: kc.contexts,
        currentContext: kc.currentContext,
      });
      const behindForwarder = stackActivities({}, undefined, cut);
      const step = {
        namespace: ns,
        name: 'podinfo',
        status: { canaryWeight: 20 },
        events: [{ type: 'Normal' as const, reason: 'Synced', message: `Advance podinfo.${ns} canary weight 20`, key: 'run-3/7' }],
      };
      await forwarder.cut();
      await assert.rejects(behindForwarder.writeCanaryStatus(step), failure('KubernetesUnavailable', false));
      await assert.rejects(
        captureStdout(() => behindForwarder.writeEvents(step)),
        failure('KubernetesUnavailable', false),
      );
      await forwarder.open();
      await behindForwarder.writeCanaryStatus(step);
      await captureStdout(() => behindForwarder.writeEvents(step));
      assert.deepEqual(
        (await eventsFor(kc, ns, step.events[0]?.message ?? '')).map((e) => e.count),
        [1],
      );
      assert.equal((await getCanary(kc, ns, 'podinfo')).status?.canaryWeight, 20);
    } finally {
      await forwarder.cut();
    }
  });
});
