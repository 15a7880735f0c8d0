// sendAlert against the real kube-apiserver (AlertProviders and Secrets in a namespace of its own)
// and real HTTP receivers on 127.0.0.1: what each provider type receives, Secret-held addresses and
// tokens, severity routing, the default provider, and failures that name the provider and never
// the webhook URL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { discordPayload } from '../../../src/activities/notifiers/discord';
import { alertFields } from '../../../src/activities/notifiers/fields';
import { gchatPayload } from '../../../src/activities/notifiers/gchat';
import { msteamsPayload } from '../../../src/activities/notifiers/msteams';
import { type ChatAlert } from '../../../src/activities/notifiers/notifier';
import { rocketPayload } from '../../../src/activities/notifiers/rocket';
import { ALERT_POST_TIMEOUT_MS } from '../../../src/activities/notifiers/send-alert';
import { defaultAlertProvider } from '../../../src/activities/notifiers/routing';
import { slackPayload } from '../../../src/activities/notifiers/slack';
import { ALERT_PROVIDER_PLURAL, type AlertProviderSpec } from '../../../src/api/alert-provider';
import { FLAGGER_GROUP, FLAGGER_VERSION } from '../../../src/api/canary';
import { type AlertSettings } from '../../../src/api/canary-settings';
import { installCrds } from '../../support/crds';
import { createNamespace, deleteNamespace } from '../../support/namespace';
import { kubeConfig } from '../../support/stack';
import { stackActivities } from '../stack-activities';
import { Receiver } from '../../support/receiver';
import { closedPort, ForwardProxy } from './forward-proxy';
import { seedSettings } from './settings';

const { sendAlert } = stackActivities();

describe('sendAlert', () => {
  const kc = kubeConfig();
  let receiver: Receiver;
  const proxy = new ForwardProxy();
  let ns = '';

  const createProvider = (name: string, spec: AlertProviderSpec) =>
    kc.makeApiClient(k8s.CustomObjectsApi).createNamespacedCustomObject({
      group: FLAGGER_GROUP,
      version: FLAGGER_VERSION,
      plural: ALERT_PROVIDER_PLURAL,
      namespace: ns,
      body: { apiVersion: `${FLAGGER_GROUP}/${FLAGGER_VERSION}`, kind: 'AlertProvider', metadata: { name }, spec },
    });
  const createSecret = (name: string, data: Record<string, string>) =>
    kc.makeApiClient(k8s.CoreV1Api).createNamespacedSecret({ namespace: ns, body: { metadata: { name }, stringData: data } });
  const entry = (name: string, provider: string, severity: AlertSettings['severity'] = 'info'): AlertSettings => ({
    name,
    severity,
    providerRef: { name: provider, namespace: ns },
  });
  const settingsWith = (alerts: AlertSettings[]) => seedSettings({ namespace: ns, alerts });
  /** What the providers are expected to have been given, for comparing bodies with the pure builders. */
  const chatAlert = (severity: ChatAlert['severity'], message: string, detail?: string): ChatAlert => ({
    name: 'podinfo',
    namespace: ns,
    message,
    severity,
    fields: alertFields(seedSettings({ namespace: ns }), detail),
  });

  before(async () => {
    await installCrds(kc);
    ns = await createNamespace(kc, 'notifiers-test');
    [receiver] = await Promise.all([Receiver.start(), proxy.start()]);
    receiver.answer(200, 'ok');
  });
  after(async () => {
    await Promise.all([receiver.close(), proxy.stop()]);
    await deleteNamespace(kc, ns);
  });

  describe('posts each provider type its own body', () => {
    const message = 'Failed checks threshold reached 5';
    const detail = 'request-success-rate 91.00% < 99%';
    const send = (provider: string) =>
      sendAlert({
        settings: settingsWith([entry(`to-${provider}`, provider)]),
        phase: 'Progressing',
        severity: 'error',
        message,
        detail,
      });

    it('slack, with its channel and username', async () => {
      await createProvider('slack', { type: 'slack', channel: 'deploys', username: 'perch-bot', address: receiver.url('/slack') });
      assert.deepEqual(await send('slack'), [{ alert: 'to-slack', provider: `slack.${ns}`, ok: true }]);
      const got = receiver.only('/slack');
      assert.equal(got.headers['content-type'], 'application/json');
      assert.equal(got.headers.authorization, undefined);
      const body = JSON.parse(got.body) as ReturnType<typeof slackPayload>;
      assert.deepEqual(
        body,
        slackPayload(chatAlert('error', message, detail), { address: new URL(receiver.url()), channel: 'deploys', username: 'perch-bot' }),
      );
      assert.equal(body.attachments[0]?.color, 'danger');
      assert.equal(body.attachments[0]?.text, message);
      assert.deepEqual(
        body.attachments[0]?.fields.map((f) => f.title),
        ['Target', 'Failed checks threshold', 'Progress deadline', 'Traffic routing', 'Detail'],
      );
      assert.equal(body.attachments[0]?.fields.at(-1)?.value, detail);
    });

    it('msteams', async () => {
      await createProvider('teams', { type: 'msteams', address: receiver.url('/teams') });
      assert.deepEqual(await send('teams'), [{ alert: 'to-teams', provider: `teams.${ns}`, ok: true }]);
      const body = JSON.parse(receiver.only('/teams').body) as ReturnType<typeof msteamsPayload>;
      assert.deepEqual(body, msteamsPayload(chatAlert('error', message, detail)));
      assert.equal(body.themeColor, 'FF0000');
      assert.equal(body.sections[0]?.activityTitle, message);
    });

    it('discord, at the /slack path, with the default channel and username', async () => {
      await createProvider('discord', { type: 'discord', address: receiver.url('/api/webhooks/1/tok') });
      assert.deepEqual(await send('discord'), [{ alert: 'to-discord', provider: `discord.${ns}`, ok: true }]);
      const body = JSON.parse(receiver.only('/api/webhooks/1/tok/slack').body) as ReturnType<typeof discordPayload>;
      assert.deepEqual(
        body,
        discordPayload(chatAlert('error', message, detail), { address: new URL(receiver.url()), channel: 'general', username: 'flagger' }),
      );
      assert.equal(receiver.to('/api/webhooks/1/tok').length, 0);
    });

    it('rocket', async () => {
      await createProvider('rocket', { type: 'rocket', channel: 'ops', address: receiver.url('/rocket') });
      assert.deepEqual(await send('rocket'), [{ alert: 'to-rocket', provider: `rocket.${ns}`, ok: true }]);
      const body = JSON.parse(receiver.only('/rocket').body) as ReturnType<typeof rocketPayload>;
      assert.deepEqual(
        body,
        rocketPayload(chatAlert('error', message, detail), { address: new URL(receiver.url()), channel: 'ops', username: 'flagger' }),
      );
      assert.equal(body.attachments[0]?.color, '#FF0000');
    });

    it('gchat', async () => {
      await createProvider('gchat', { type: 'gchat', address: receiver.url('/gchat') });
      assert.deepEqual(await send('gchat'), [{ alert: 'to-gchat', provider: `gchat.${ns}`, ok: true }]);
      const body = JSON.parse(receiver.only('/gchat').body) as ReturnType<typeof gchatPayload>;
      assert.deepEqual(body, gchatPayload(chatAlert('error', message, detail)));
      assert.equal(body.cards[0]?.sections.length, 6);
    });
  });

  it("takes the address and Slack token from the provider's Secret", async () => {
    await createSecret('slack-url', { address: receiver.url('/from-secret'), token: 'xoxb-test-token-4242\n' });
    // The CRD admits address or secretRef, never both, so the Secret is the only address here.
    await createProvider('slack-secret', { type: 'slack', secretRef: { name: 'slack-url' } });
    const deliveries = await sendAlert({
      settings: settingsWith([entry('chat', 'slack-secret')]),
      phase: 'Succeeded',
      severity: 'info',
      message: 'Canary analysis completed successfully, promotion finished.',
    });
    assert.deepEqual(deliveries, [{ alert: 'chat', provider: `slack-secret.${ns}`, ok: true }]);
    const got = receiver.only('/from-secret');
    assert.equal(got.headers.authorization, 'Bearer xoxb-test-token-4242');
    assert.equal((JSON.parse(got.body) as { attachments: { color: string }[] }).attachments[0]?.color, 'good');
  });

  it("routes by each entry's severity", async () => {
    for (const sev of ['info', 'warn', 'error', 'unset'])
      await createProvider(`route-${sev}`, { type: 'slack', address: receiver.url(`/route-${sev}`) });
    const settings = settingsWith([
      entry('all', 'route-info', 'info'),
      entry('warnings', 'route-warn', 'warn'),
      entry('pager', 'route-error', 'error'),
      entry('none', 'route-unset', ''),
    ]);
    const warn = await sendAlert({ settings, phase: 'Waiting', severity: 'warn', message: 'Canary is waiting for approval.' });
    assert.deepEqual(
      warn.map((d) => [d.alert, d.ok]),
      [
        ['all', true],
        ['warnings', true],
      ],
    );
    const info = await sendAlert({
      settings,
      phase: 'Progressing',
      severity: 'info',
      message: 'New revision detected, progressing canary analysis.',
    });
    assert.deepEqual(
      info.map((d) => [d.alert, d.ok]),
      [['all', true]],
    );
    const error = await sendAlert({ settings, phase: 'Failed', severity: 'error', message: 'Failed checks threshold reached 5' });
    assert.deepEqual(
      error.map((d) => [d.alert, d.ok]),
      [
        ['all', true],
        ['warnings', true],
        ['pager', true],
      ],
    );
    assert.deepEqual(
      ['info', 'warn', 'error', 'unset'].map((s) => receiver.to(`/route-${s}`).length),
      [3, 2, 1, 0],
    );
  });

  it("uses the default provider of the worker's settings for a Canary without alerts", async () => {
    await createProvider('cluster-default', { type: 'msteams', address: receiver.url('/default') });
    const send = (severity: ChatAlert['severity'], provider?: string, providerSeverity?: string) =>
      stackActivities({ defaultAlertProvider: defaultAlertProvider(provider, providerSeverity) }).sendAlert({
        settings: settingsWith([]),
        phase: 'Progressing',
        severity,
        message: `a ${severity} alert`,
      });

    assert.deepEqual(await send('error'), [], 'unset: no alerts');
    const provider = `${ns}/cluster-default`;
    assert.deepEqual(await send('info', provider), [{ alert: 'default', provider: `cluster-default.${ns}`, ok: true }], 'severity defaults to info');
    assert.deepEqual(await send('info', provider, 'warn'), []);
    assert.deepEqual(await send('warn', provider, 'warn'), [{ alert: 'default', provider: `cluster-default.${ns}`, ok: true }]);
    assert.deepEqual(
      receiver.to('/default').map((r) => (JSON.parse(r.body) as { sections: { activityTitle: string }[] }).sections[0]?.activityTitle),
      ['a info alert', 'a warn alert'],
    );

    assert.deepEqual(await send('error', 'cluster-default'), [
      {
        alert: 'default',
        provider: 'cluster-default',
        ok: false,
        error: 'PERCH_DEFAULT_ALERT_PROVIDER must be "<namespace>/<name>", got "cluster-default"',
      },
    ]);
  });

  it('reports a missing provider, a missing Secret and a Secret without an address by name', async () => {
    await createProvider('no-secret', { type: 'slack', secretRef: { name: 'absent' } });
    await createSecret('token-only', { token: 'not-an-address' });
    await createProvider('no-address', { type: 'msteams', secretRef: { name: 'token-only' } });
    const deliveries = await sendAlert({
      settings: settingsWith([entry('ghost', 'nope'), entry('keyless', 'no-secret'), entry('empty', 'no-address')]),
      phase: 'Failed',
      severity: 'error',
      message: 'm',
    });
    assert.deepEqual(deliveries, [
      { alert: 'ghost', provider: `nope.${ns}`, ok: false, error: `alert provider nope.${ns} not found` },
      {
        alert: 'keyless',
        provider: `no-secret.${ns}`,
        ok: false,
        error: `alert provider no-secret.${ns}: secret absent not found in namespace ${ns}`,
      },
      {
        alert: 'empty',
        provider: `no-address.${ns}`,
        ok: false,
        error: `alert provider no-address.${ns} has no address: neither secret token-only (key "address") nor spec.address holds one`,
      },
    ]);
  });

  it('reports an unreachable address by provider and host, with no URL in the result or the log', async () => {
    const host = `127.0.0.1:${await closedPort()}`;
    const address = `http://${host}/services/T0001/B0001/SeCrEtPaTh`;
    await createSecret('dead-url', { address });
    await createProvider('dead', { type: 'slack', secretRef: { name: 'dead-url' } });
    const { result: deliveries, lines } = await capturingStdout(() =>
      sendAlert({
        settings: settingsWith([entry('chat', 'dead')]),
        phase: 'Failed',
        severity: 'error',
        message: 'Failed checks threshold reached 5',
      }),
    );
    assert.equal(deliveries.length, 1);
    const d = deliveries[0];
    assert.equal(d?.ok, false);
    assert.equal(d?.provider, `dead.${ns}`);
    assert.match(d?.error ?? '', new RegExp(`^alert provider dead\\.${ns}: POST to ${host.replace(/\./g, '\\.')} failed: .*ECONNREFUSED`));
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.provider === `dead.${ns}`);
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.level, 'error');
    assert.equal(logged[0]?.alert, 'chat');
    for (const text of [JSON.stringify(deliveries), ...lines]) {
      assert.ok(!text.includes('SeCrEtPaTh') && !text.includes('/services/T0001'), `leaked: ${text}`);
    }
  });

  it('counts a non-2xx answer as failed and scrubs the address from the echoed body', async () => {
    receiver.on('/hooks/Zsecret123', { status: 500, body: 'no such hook: /hooks/Zsecret123' });
    await createProvider('broken', { type: 'gchat', address: receiver.url('/hooks/Zsecret123') });
    const [d] = await sendAlert({ settings: settingsWith([entry('chat', 'broken')]), phase: 'Failed', severity: 'error', message: 'm' });
    assert.equal(d?.ok, false);
    assert.equal(d?.error, `alert provider broken.${ns}: POST to ${new URL(receiver.url()).host} answered HTTP 500: no such hook: [redacted]`);
  });

  it("fails a Slack Web API answer of ok:false with Slack's reason", async () => {
    receiver.on('/api/chat.postMessage', { status: 200, body: '{"ok":false,"error":"channel_not_found"}' });
    await createSecret('slack-bot', { address: receiver.url('/api/chat.postMessage'), token: 'xoxb-bot-token-77' });
    await createProvider('slack-bot', { type: 'slack', channel: 'missing', secretRef: { name: 'slack-bot' } });
    const [d] = await sendAlert({ settings: settingsWith([entry('bot', 'slack-bot')]), phase: 'Failed', severity: 'error', message: 'm' });
    assert.equal(d?.error, `alert provider slack-bot.${ns}: POST to ${new URL(receiver.url()).host}: Slack answered ok:false (channel_not_found)`);
    assert.equal(receiver.only('/api/chat.postMessage').headers.authorization, 'Bearer xoxb-bot-token-77');
  });

  it('posts through spec.proxy', async () => {
    await createProvider('proxied', { type: 'rocket', address: receiver.url('/via-proxy'), proxy: proxy.url('/') });
    const [d] = await sendAlert({ settings: settingsWith([entry('chat', 'proxied')]), phase: 'Progressing', severity: 'info', message: 'via proxy' });
    assert.deepEqual(d, { alert: 'chat', provider: `proxied.${ns}`, ok: true });
    assert.deepEqual(proxy.forwarded, [`POST ${receiver.url('/via-proxy')}`]);
    assert.equal((JSON.parse(receiver.only('/via-proxy').body) as { attachments: { text: string }[] }).attachments[0]?.text, 'via proxy');
  });

  it('fails a receiver that hangs up midway and one that does not answer within the deadline', async () => {
    receiver.on('/hang-up', { status: 200, body: '{"ok":tr', hangUp: true });
    receiver.on('/slow', { status: 200, delayMs: ALERT_POST_TIMEOUT_MS + 5000 });
    await createProvider('hang-up', { type: 'slack', address: receiver.url('/hang-up') });
    await createProvider('slow', { type: 'slack', address: receiver.url('/slow') });
    // Both at once: the deadline is the activity's own (10 s), so this test waits it out once.
    const deliveries = await sendAlert({
      settings: settingsWith([entry('cut', 'hang-up'), entry('late', 'slow')]),
      phase: 'Failed',
      severity: 'error',
      message: 'm',
    });
    const host = new URL(receiver.url()).host;
    assert.deepEqual(deliveries, [
      { alert: 'cut', provider: `hang-up.${ns}`, ok: false, error: `alert provider hang-up.${ns}: POST to ${host} failed: aborted` },
      {
        alert: 'late',
        provider: `slow.${ns}`,
        ok: false,
        error: `alert provider slow.${ns}: POST to ${host} failed: timeout after ${ALERT_POST_TIMEOUT_MS}ms`,
      },
    ]);
  });
});

/** Runs `fn` while collecting what it writes to stdout (the JSON log lines), still passing it through. */
async function capturingStdout<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array, ...rest: never[]) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((l) => l.startsWith('{')),
    );
    return write(chunk, ...rest);
  };
  try {
    return { result: await fn(), lines };
  } finally {
    process.stdout.write = write;
  }
}
