// callWebhook against Flagger's real load tester and a scripted local receiver: the exact payload
// Flagger sends, its success rule (status ≤ 202), retries, timeouts, answers cut off, unreachable
// hosts, and disableTLS against a self-signed HTTPS receiver.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpWebhookCaller, webhookActivities } from '../../../src/activities/webhooks';
import { webhookPayload } from '../../../src/activities/webhooks/webhook-payload';
import { type WebhookSettings } from '../../../src/api/canary-settings';
import { stack } from '../../support/stack';
import { Receiver } from '../../support/receiver';
import { selfSignedLoopbackCert } from './self-signed';

const hook = (url: string, over: Partial<WebhookSettings> = {}): WebhookSettings => ({
  name: 'test-hook',
  type: 'rollout',
  url,
  timeoutMs: 10_000,
  metadata: {},
  muteAlert: false,
  retries: 0,
  disableTLS: false,
  ...over,
});
const payload = webhookPayload({ name: 'podinfo', namespace: 'test' }, 'Progressing');

const { callWebhook } = webhookActivities(new HttpWebhookCaller());

describe('callWebhook', () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await Receiver.start();
  });
  after(() => receiver.close());

  describe("against Flagger's load tester", () => {
    const lt = (path: string) => `${stack().loadtester}${path}`;

    it('passes /gate/approve', async () => {
      assert.deepEqual(await callWebhook({ hook: hook(lt('/gate/approve')), payload }), { ok: true, status: 200, message: 'OK' });
    });

    it('fails /gate/halt with its body as the message', async () => {
      assert.deepEqual(await callWebhook({ hook: hook(lt('/gate/halt')), payload }), { ok: false, status: 403, message: 'Forbidden' });
    });

    it('runs a bash task from the hook metadata: `true` passes, `false` fails with the output', async () => {
      const passed = await callWebhook({ hook: hook(lt('/'), { metadata: { type: 'bash', cmd: 'true' } }), payload });
      assert.equal(passed.ok, true, passed.message);
      const failed = await callWebhook({ hook: hook(lt('/'), { metadata: { type: 'bash', cmd: 'false' } }), payload });
      assert.equal(failed.ok, false);
      assert.equal(failed.status, 500);
      assert.match(failed.message, /^POST http:\/\/127\.0\.0\.1:\d+\/ giving up after 1 attempt\(s\): command false failed: .*exit status 1/);
    });
  });

  describe('against a local receiver', () => {
    it("POSTs Flagger's CanaryWebhookPayload JSON, key for key", async () => {
      receiver.on('/payload', { status: 200, body: 'fine' });
      const result = await callWebhook({
        hook: hook(receiver.url('/payload'), { metadata: { type: 'bash', cmd: 'true' } }),
        payload: webhookPayload({ name: 'podinfo', namespace: 'test' }, 'Progressing', 'abc123'),
      });
      assert.deepEqual(result, { ok: true, status: 200, message: 'fine' });
      const got = receiver.requests.find((r) => r.path === '/payload');
      assert.equal(got?.headers['content-type'], 'application/json');
      assert.equal(
        got?.body,
        '{"name":"podinfo","namespace":"test","phase":"Progressing","checksum":"abc123","metadata":{"type":"bash","cmd":"true"}}',
      );
    });

    it('sends checksum "" and no metadata when there are none, as Go does', async () => {
      receiver.on('/bare', { status: 202 });
      assert.equal((await callWebhook({ hook: hook(receiver.url('/bare')), payload })).ok, true);
      assert.equal(
        receiver.requests.find((r) => r.path === '/bare')?.body,
        '{"name":"podinfo","namespace":"test","phase":"Progressing","checksum":""}',
      );
    });

    it('counts 203 as a failure, with the body as the message, and does not retry it', async () => {
      receiver.on('/203', { status: 203, body: 'not quite' });
      assert.deepEqual(await callWebhook({ hook: hook(receiver.url('/203'), { retries: 3 }), payload }), {
        ok: false,
        status: 203,
        message: 'not quite',
      });
      assert.equal(receiver.to('/203').length, 1);
    });

    it('retries a 500 and passes when the hook recovers', async () => {
      receiver.on('/flaky', { status: 500, body: 'boom' }, { status: 503, body: 'busy' }, { status: 200, body: 'ok now' });
      const result = await callWebhook({ hook: hook(receiver.url('/flaky'), { retries: 2 }), payload });
      assert.deepEqual(result, { ok: true, status: 200, message: 'ok now' });
      assert.equal(receiver.to('/flaky').length, 3);
    });

    it("gives up with Flagger's text after the retries, naming the last answer", async () => {
      receiver.on('/down', { status: 502, body: 'bad gateway' });
      const result = await callWebhook({ hook: hook(receiver.url('/down'), { retries: 1 }), payload });
      assert.deepEqual(result, { ok: false, status: 502, message: `POST ${receiver.url('/down')} giving up after 2 attempt(s): bad gateway` });
    });

    it('passes a 10 MB answer, its message only the clipped start of it', async () => {
      receiver.on('/huge', { status: 200, body: 'z'.repeat(10 << 20) });
      const result = await callWebhook({ hook: hook(receiver.url('/huge')), payload });
      assert.equal(result.ok, true);
      assert.equal(result.message, `${'z'.repeat(4096)}…`);
    });

    it('fails a redirect without following it or retrying it (Flagger follows 10, then fails the check)', async () => {
      receiver.on('/redirect', { status: 302, headers: { location: receiver.url('/redirect') } });
      const result = await callWebhook({ hook: hook(receiver.url('/redirect'), { retries: 3 }), payload });
      assert.deepEqual(result, { ok: false, status: 302, message: '' });
      assert.equal(receiver.to('/redirect').length, 1);
    });

    it('does not retry 501 Not Implemented', async () => {
      receiver.on('/501', { status: 501, body: 'nope' });
      assert.deepEqual(await callWebhook({ hook: hook(receiver.url('/501'), { retries: 3 }), payload }), { ok: false, status: 501, message: 'nope' });
      assert.equal(receiver.to('/501').length, 1);
    });

    it('ends a slow attempt at the hook timeout', async () => {
      receiver.on('/slow', { status: 200, delayMs: 3000 });
      const started = Date.now();
      const result = await callWebhook({ hook: hook(receiver.url('/slow'), { timeoutMs: 300 }), payload });
      assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
      assert.deepEqual(result, { ok: false, status: 0, message: `POST ${receiver.url('/slow')} giving up after 1 attempt(s): timeout after 300ms` });
    });

    it('retries an answer the hook hangs up on midway, as a connection error', async () => {
      receiver.on('/hang-up', { status: 200, body: 'half of it', hangUp: true });
      const result = await callWebhook({ hook: hook(receiver.url('/hang-up'), { retries: 1 }), payload });
      assert.deepEqual(result, { ok: false, status: 0, message: `POST ${receiver.url('/hang-up')} giving up after 2 attempt(s): aborted` });
      assert.equal(receiver.to('/hang-up').length, 2);
    });

    it('fails fast, without retries, for a host that does not resolve', async () => {
      const started = Date.now();
      const result = await callWebhook({ hook: hook('http://flagger-loadtester.nowhere.invalid/', { retries: 3 }), payload });
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
      assert.equal(result.ok, false);
      assert.equal(result.status, 0);
      assert.match(result.message, /^POST http:\/\/flagger-loadtester\.nowhere\.invalid\/ giving up after 1 attempt\(s\): .*ENOTFOUND/);
    });

    it('reports a malformed URL instead of throwing', async () => {
      assert.deepEqual(await callWebhook({ hook: hook('not a url'), payload }), { ok: false, status: 0, message: 'parse "not a url": invalid URL' });
    });
  });

  describe('against an HTTPS receiver with a self-signed certificate', () => {
    let tls: Receiver;
    before(async () => {
      tls = await Receiver.start(selfSignedLoopbackCert());
    });
    after(() => tls.close());

    it('refuses the certificate, without retrying, unless disableTLS', async () => {
      tls.on('/hook', { status: 200, body: 'secure enough' });
      const refused = await callWebhook({ hook: hook(tls.url('/hook'), { retries: 3 }), payload });
      assert.equal(refused.ok, false);
      assert.equal(refused.status, 0);
      // Node's text, which newer versions extend with a hint about system CAs.
      assert.ok(refused.message.startsWith(`POST ${tls.url('/hook')} giving up after 1 attempt(s): self-signed certificate`), refused.message);
      assert.equal(tls.connections, 1);
      assert.equal(tls.to('/hook').length, 0);

      const skipped = await callWebhook({ hook: hook(tls.url('/hook'), { disableTLS: true }), payload });
      assert.deepEqual(skipped, { ok: true, status: 200, message: 'secure enough' });
      assert.equal(tls.to('/hook').length, 1);
    });
  });
});
