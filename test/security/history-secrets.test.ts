// No secret enters workflow history. A MetricTemplate and an AlertProvider each take their
// credentials from a Secret: the template's Prometheus (a receiver on loopback answering as the
// Prometheus HTTP API does) gets a bearer token, the provider's Slack address and token come from
// its Secret, the address's path itself being secret. A rollout is promoted using both (the
// receiver proves the secrets were read and sent), then every run of the Canary's workflow history
// is fetched from Temporal, its payloads decoded, and searched for each secret value.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import { apply } from '../support/manifests';
import { type Answer, Receiver } from '../support/receiver';
import { Scenario } from '../support/scenario';
import { applySeed, seedCanary, TEST_INTERVALS } from '../support/seed';
import { eventually } from '../support/stack';

const ns = 'security-secrets';

/** Every string a history holds: its fields as JSON, and each payload's bytes as text. */
function historyText(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Uint8Array) {
      out.push(Buffer.from(v).toString('utf8'));
      // A value inside a payload may itself be encoded once more; the base64 form is searched too.
      out.push(Buffer.from(v).toString('base64'));
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        out.push(k);
        walk(x);
      }
    } else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
      out.push(String(v));
    }
  };
  walk(value);
  return out.join('\n');
}

/** A Prometheus instant-query answer with one sample. */
function promAnswer(value: number): Answer {
  return {
    status: 200,
    body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, String(value)] }] } }),
  };
}

describe('secrets and workflow history', { timeout: 8 * 60_000 }, () => {
  const s = new Scenario(ns);
  const secret = {
    metricToken: `prom-token-${randomBytes(8).toString('hex')}`,
    slackToken: `xoxb-${randomBytes(8).toString('hex')}`,
    slackPath: `/hooks/${randomBytes(8).toString('hex')}`,
  };
  let rx: Receiver;

  before(async () => {
    rx = await Receiver.start();
    rx.respondWith((req) => (req.path.startsWith('/api/v1/query') ? promAnswer(1) : { status: 200, body: 'ok' }));
    await s.given(async (sc) => {
      await apply(sc.kc, [
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'prom-auth', namespace: ns }, stringData: { token: secret.metricToken } },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'slack-auth', namespace: ns },
          stringData: { address: rx.url(secret.slackPath), token: secret.slackToken },
        },
        {
          apiVersion: 'flagger.app/v1beta1',
          kind: 'MetricTemplate',
          metadata: { name: 'guarded', namespace: ns },
          spec: { provider: { type: 'prometheus', address: rx.url(''), secretRef: { name: 'prom-auth' } }, query: 'vector(1)' },
        },
        {
          apiVersion: 'flagger.app/v1beta1',
          kind: 'AlertProvider',
          metadata: { name: 'chat', namespace: ns },
          spec: { type: 'slack', channel: 'deploys', secretRef: { name: 'slack-auth' } },
        },
      ] as unknown as k8s.KubernetesObject[]);
      const c = seedCanary(TEST_INTERVALS, ns);
      c.spec.analysis.stepWeight = 25;
      c.spec.analysis.maxWeight = 50;
      c.spec.analysis.metrics = [
        { name: 'guarded', templateRef: { name: 'guarded' }, thresholdRange: { max: 10 }, interval: TEST_INTERVALS.metrics },
      ];
      c.spec.analysis.webhooks = [];
      c.spec.analysis.alerts = [{ name: 'chat', severity: 'info', providerRef: { name: 'chat' } }];
      await applySeed(sc.kc, ns, c);
    });
    await s.thenPhase('Initialized', { timeoutMs: 180_000 });
  });
  after(async () => {
    await s.tearDown();
    await rx.close();
  });

  it('keeps every Secret value out of the recorded histories of a rollout that used them', async () => {
    const since = Date.now();
    await s.whenImageChanges('6.1.1');
    await eventually('the rollout promoted', 300_000, async () => {
      const c = await s.canary();
      return c.status?.phase === 'Succeeded' &&
        c.status.lastAppliedSpec === c.status.lastPromotedSpec &&
        Date.parse(c.status.lastTransitionTime ?? '') >= since - 1000
        ? c
        : undefined;
    });
    // The secrets were read and used: the metric query carried the token, the alert went to the secret address.
    const queries = rx.requests.filter((r) => r.path.startsWith('/api/v1/query') && r.at >= since);
    assert.ok(queries.length > 0, 'the MetricTemplate was queried');
    assert.ok(
      queries.every((q) => q.headers.authorization === `Bearer ${secret.metricToken}`),
      "the template's Secret token was sent",
    );
    const alerts = await eventually('the promotion alert', 60_000, () => {
      const got = rx.to(secret.slackPath, since);
      return Promise.resolve(got.some((r) => r.body.includes('promotion finished')) ? got : undefined);
    });
    assert.ok(
      alerts.every((a) => a.headers.authorization === `Bearer ${secret.slackToken}`),
      "the provider's Secret token was sent",
    );

    const client = await s.client();
    const texts: string[] = [];
    for await (const wf of client.workflow.list({ query: `WorkflowId = "canary/${ns}/podinfo"` })) {
      texts.push(historyText(await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory()));
    }
    assert.ok(texts.length > 0, 'the workflow has recorded runs');
    const all = texts.join('\n');
    assert.ok(all.includes('guarded'), "the history was decoded (the template's name is in it)");
    for (const [name, value] of Object.entries(secret)) {
      assert.ok(!all.includes(value), `the secret ${name} (${value}) is in the workflow history`);
    }
    console.log(
      `# ${texts.length} workflow run histories (${all.length} characters decoded) hold none of ${Object.keys(secret).length} secret values`,
    );
  });
});
