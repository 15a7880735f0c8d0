// The worker's own endpoints are out of a Canary's reach: a webhook, an alert provider or a metrics
// server address that resolves to the worker's listen address is refused before any connection,
// against a real local server standing where the worker's /metrics would be.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { metricsProviders } from '../../../src/activities/metrics';
import { OPEN, ownEndpointsGuard } from '../../../src/activities/http/own-endpoints';
import { send } from '../../../src/activities/http/request';
import { HttpWebhookCaller } from '../../../src/activities/webhooks';
import { webhookPayload } from '../../../src/activities/webhooks/webhook-payload';
import { type WebhookSettings } from '../../../src/api/canary-settings';
import { Receiver } from '../../support/receiver';

const hook = (url: string): WebhookSettings => ({
  name: 'probe',
  type: 'rollout',
  url,
  timeoutMs: 5000,
  metadata: {},
  muteAlert: false,
  retries: 3,
  disableTLS: false,
});
const payload = webhookPayload({ name: 'podinfo', namespace: 'test' }, 'Progressing');

describe("requests from Canaries and the worker's own endpoints", () => {
  let worker: Receiver;
  let other: Receiver;
  let port: number;
  before(async () => {
    worker = await Receiver.start();
    other = await Receiver.start();
    port = Number(new URL(worker.url()).port);
  });
  after(async () => {
    await worker.close();
    await other.close();
  });

  for (const listen of ['127.0.0.1', '0.0.0.0']) {
    it(`refuses every spelling of the listen address ${listen}:<port>, before connecting, and names the setting`, async () => {
      const reach = ownEndpointsGuard([{ host: listen, port }]);
      const caller = new HttpWebhookCaller(() => Promise.resolve(), reach);
      const before = worker.requests.length;
      for (const url of [`http://127.0.0.1:${port}/metrics`, `http://localhost:${port}/healthz`, `http://[::ffff:127.0.0.1]:${port}/readyz`]) {
        const result = await caller.call(hook(url), payload);
        assert.equal(result.ok, false, url);
        // Refused at the first attempt: retrying cannot change the answer.
        assert.match(result.message, /giving up after 1 attempt\(s\): .*is Perch's own HTTP endpoint .*PERCH_ALLOW_OWN_ENDPOINTS=true/);
      }
      const prometheus = metricsProviders(reach)({
        type: 'prometheus',
        address: `http://localhost:${port}`,
        headers: {},
        credentials: {},
        insecureSkipVerify: false,
      });
      await assert.rejects(prometheus.runQuery('up'), /is Perch's own HTTP endpoint/);
      await assert.rejects(
        send({ method: 'POST', url: new URL(`http://localhost:${port}/`), headers: {}, body: '{}' }, { timeoutMs: 5000, reach }),
        /own HTTP endpoint/,
      );
      assert.equal(worker.requests.length, before, 'no request reached the worker');
    });
  }

  it('lets through other ports, and everything when allowed', async () => {
    const reach = ownEndpointsGuard([{ host: '0.0.0.0', port }]);
    assert.equal((await new HttpWebhookCaller(undefined, reach).call(hook(`${other.url('/ok')}`), payload)).ok, true);
    assert.equal((await new HttpWebhookCaller(undefined, OPEN).call(hook(`${worker.url('/ok')}`), payload)).ok, true);
    assert.equal(await reach.refusal(new URL(`http://example.invalid:${port}/`)), undefined, 'a name that does not resolve is left to the request');
  });
});
