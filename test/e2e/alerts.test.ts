// Alerts to every AlertProvider type (slack, msteams, discord, rocket, gchat), each addressing a
// receiver on loopback (slack through a Secret with a token), routed by the severities of the
// Canary's alert entries. The payloads each chat service gets are asserted for a promotion, a wait
// for approval (and its muting), a rollback after a failing pre-rollout hook, an abort, and a canary
// that never becomes ready.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import { type CanaryAlert, type CanaryAnalysis } from '../../src/api/canary';
import { abortSignal, approveSignal } from '../../src/workflows/messages';
import { closeGate, gateCheckUrl } from '../support/loadtester';
import { apply } from '../support/manifests';
import { Receiver } from '../support/receiver';
import { Scenario } from '../support/scenario';
import { applySeed, seedCanary, TEST_INTERVALS } from '../support/seed';
import { eventually } from '../support/stack';

const ns = 'e2e-alerts';
const id = `podinfo.${ns}`;

const TEXT = {
  initialized: 'New Deployment detected, initialization completed.',
  newRevision: 'New revision detected, progressing canary analysis.',
  waiting: 'Canary is waiting for approval.',
  succeeded: 'Canary analysis completed successfully, promotion finished.',
  threshold: 'Failed checks threshold reached 2',
  aborted: 'Rolling back, abort requested',
};

type ProviderType = 'slack' | 'msteams' | 'discord' | 'rocket' | 'gchat';

/** Each provider, its receiver path, and the severity of the Canary's alert entry for it. */
const PROVIDERS: { type: ProviderType; path: string; severity: 'info' | 'warn' | 'error' }[] = [
  { type: 'slack', path: '/slack', severity: 'info' },
  { type: 'msteams', path: '/msteams', severity: 'info' },
  // Discord's Slack-compatible endpoint: the address with /slack appended.
  { type: 'discord', path: '/discord/slack', severity: 'warn' },
  { type: 'rocket', path: '/rocket', severity: 'info' },
  { type: 'gchat', path: '/gchat', severity: 'error' },
];
const RANK = { info: 0, warn: 1, error: 2 } as const;

interface SlackBody {
  channel: string;
  username: string;
  attachments: { color: string; author_name: string; text: string; fields: { title: string; value: string }[] }[];
}
interface TeamsBody {
  '@type': string;
  themeColor: string;
  summary: string;
  sections: { activityTitle: string; activitySubtitle: string; facts: { name: string; value: string }[] }[];
}
interface GChatBody {
  cards: { header: { title: string; subtitle: string }; sections: { widgets: { textParagraph: { text: string } }[] }[] }[];
}

/** One alert as a chat service received it, reduced to what every type carries. */
interface Received {
  message: string;
  author: string;
  fields: Record<string, string>;
  color: string;
  raw: unknown;
}

function decode(type: ProviderType, body: string): Received {
  const raw = JSON.parse(body) as unknown;
  if (type === 'msteams') {
    const b = raw as TeamsBody;
    const s = b.sections[0];
    return {
      message: s?.activityTitle ?? '',
      author: s?.activitySubtitle ?? '',
      color: b.themeColor,
      fields: Object.fromEntries((s?.facts ?? []).map((f) => [f.name, f.value])),
      raw,
    };
  }
  if (type === 'gchat') {
    const card = (raw as GChatBody).cards[0];
    const texts = (card?.sections ?? []).map((s) => s.widgets[0]?.textParagraph.text ?? '');
    const plain = (t: string) => t.replace(/<[^>]+>/g, '');
    const fields = Object.fromEntries(texts.slice(1).map((t) => plain(t.replace('<br>', '\n')).split('\n') as [string, string]));
    return { message: plain(texts[0] ?? ''), author: card?.header.subtitle ?? '', color: '', fields, raw };
  }
  const a = (raw as SlackBody).attachments[0];
  return {
    message: a?.text ?? '',
    author: a?.author_name ?? '',
    color: a?.color ?? '',
    fields: Object.fromEntries((a?.fields ?? []).map((f) => [f.title, f.value])),
    raw,
  };
}

describe('alerts', () => {
  const s = new Scenario(ns);
  let rx: Receiver;

  /** What each provider received since `since`, decoded. */
  const received = (type: ProviderType, since = 0): Received[] => {
    const p = PROVIDERS.find((x) => x.type === type);
    return rx.to(p?.path ?? '', since).map((r) => decode(type, r.body));
  };
  const messages = (type: ProviderType, since = 0) => received(type, since).map((r) => r.message);
  /** Waits until `type` received an alert whose message satisfies `match`. */
  const alertAt = (type: ProviderType, match: string | RegExp, since: number, timeoutMs = 60_000) =>
    eventually(`${type} alert ${String(match)}`, timeoutMs, () =>
      Promise.resolve(received(type, since).find((r) => (typeof match === 'string' ? r.message === match : match.test(r.message)))),
    );

  /** Asserts that exactly the providers whose entry accepts `severity` got the alert (waiting for them). */
  async function routed(match: string | RegExp, severity: keyof typeof RANK, since: number): Promise<Map<ProviderType, Received>> {
    const got = new Map<ProviderType, Received>();
    for (const p of PROVIDERS.filter((x) => RANK[severity] >= RANK[x.severity])) got.set(p.type, await alertAt(p.type, match, since));
    // The alert went out in one activity to every provider it goes to: once none is in flight, every
    // post was answered, and a provider that got nothing gets nothing.
    await s.thenAlertsSent();
    for (const p of PROVIDERS.filter((x) => RANK[severity] < RANK[x.severity])) {
      const hits = messages(p.type, since).filter((m) => (typeof match === 'string' ? m === match : match.test(m)));
      assert.deepEqual(hits, [], `${p.type} (entry severity ${p.severity}) must not receive a ${severity} alert`);
    }
    return got;
  }

  const providers = (): k8s.KubernetesObject[] => [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'slack-secret', namespace: ns },
      stringData: { address: rx.url('/slack'), token: 'xoxb-test-token' },
    } as k8s.KubernetesObject,
    ...PROVIDERS.map(
      (p) =>
        ({
          apiVersion: 'flagger.app/v1beta1',
          kind: 'AlertProvider',
          metadata: { name: `${p.type}-room`, namespace: ns },
          spec:
            p.type === 'slack'
              ? { type: 'slack', channel: 'deploys', username: 'perch-bot', secretRef: { name: 'slack-secret' } }
              : { type: p.type, address: rx.url(p.type === 'discord' ? '/discord' : p.path) },
        }) as k8s.KubernetesObject,
    ),
  ];
  const alertEntries: CanaryAlert[] = PROVIDERS.map((p) => ({
    name: `${p.type}-${p.severity}`,
    severity: p.severity,
    providerRef: { name: `${p.type}-room` },
  }));

  /** Two weight steps, no metrics, threshold 2, every provider alerted, and `edit` on top. */
  const analysis = (edit: Partial<CanaryAnalysis> = {}): CanaryAnalysis => ({
    interval: TEST_INTERVALS.analysis,
    threshold: 2,
    stepWeight: 10,
    maxWeight: 20,
    metrics: [],
    webhooks: [],
    alerts: alertEntries,
    ...edit,
  });

  /** When the Canary gets `analysis(edit)` (and a progress deadline): returns once the workflow acts on it. */
  async function whenSpecIs(edit: Partial<CanaryAnalysis>, progressDeadlineSeconds?: number): Promise<void> {
    await s.whenSpecChanges((c) => {
      c.spec.analysis = analysis(edit);
      if (progressDeadlineSeconds !== undefined) c.spec.progressDeadlineSeconds = progressDeadlineSeconds;
    });
  }

  before(async () => {
    rx = await Receiver.start();
    rx.answer(200, 'ok');
    await closeGate('podinfo', ns);
    await s.given(async (sc) => {
      await apply(sc.kc, providers());
      const c = seedCanary(TEST_INTERVALS, ns);
      c.spec.analysis = analysis();
      await applySeed(sc.kc, ns, c);
    });
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
  });
  after(async () => {
    await closeGate('podinfo', ns).catch(() => undefined);
    await s.tearDown();
    await rx.close();
  });

  it("announces the initialization to the info entries, in each service's own format", async () => {
    const got = await routed(TEXT.initialized, 'info', 0);
    const slackRequest = rx.to('/slack').find((r) => decode('slack', r.body).message === TEXT.initialized);
    assert.equal(slackRequest?.headers.authorization, 'Bearer xoxb-test-token', "the Secret's token is sent as a bearer token");
    assert.equal(slackRequest?.headers['content-type'], 'application/json');
    const slack = got.get('slack')?.raw as SlackBody;
    assert.equal(slack.channel, 'deploys');
    assert.equal(slack.username, 'perch-bot');
    for (const type of ['slack', 'msteams', 'rocket'] as const) {
      const r = got.get(type);
      assert.equal(r?.author, id, type);
      assert.deepEqual(
        r?.fields,
        {
          Target: `Deployment/podinfo.${ns}`,
          'Failed checks threshold': '2',
          'Progress deadline': '600s',
          'Traffic routing': 'Weight step: 10 max: 20',
        },
        type,
      );
    }
    assert.equal(got.get('slack')?.color, 'good');
    assert.equal(got.get('rocket')?.color, '#0076D7');
    assert.equal(got.get('msteams')?.color, '0076D7');
    assert.equal((got.get('msteams')?.raw as TeamsBody)['@type'], 'MessageCard');
  });

  it('alerts once when a rollout waits for approval, then on the new revision and the promotion', async () => {
    await whenSpecIs({ webhooks: [{ name: 'rollout-gate', type: 'confirm-rollout', url: gateCheckUrl }] });
    const since = await s.whenImageChanges('6.0.1');
    await s.thenPhase('Waiting', { since, timeoutMs: 60_000 });
    await routed(TEXT.waiting, 'warn', since);
    // Two more intervals of waiting: the gate is asked twice more.
    await s.thenHookCalled('rollout-gate', (await s.thenHookCalled('rollout-gate', 1)) + 2);
    assert.equal(messages('slack', since).filter((m) => m === TEXT.waiting).length, 1, 'one alert per wait, not one per interval');
    await (await s.workflow()).signal(approveSignal);
    await s.thenPhase('Succeeded', { since });
    await routed(TEXT.newRevision, 'info', since);
    await routed(TEXT.succeeded, 'info', since);
    assert.deepEqual(messages('slack', since), [TEXT.waiting, TEXT.newRevision, TEXT.succeeded]);
  });

  it('does not alert a muted wait; alerts the rollback after a failing pre-rollout hook as an error, naming the hook', async () => {
    rx.on('/pre', { status: 500, body: 'smoke test failed: database unreachable' });
    await whenSpecIs({
      webhooks: [
        { name: 'rollout-gate', type: 'confirm-rollout', url: gateCheckUrl, muteAlert: true },
        { name: 'smoke', type: 'pre-rollout', url: rx.url('/pre') },
      ],
    });
    const since = await s.whenImageChanges('6.0.2');
    await s.thenPhase('Waiting', { since, timeoutMs: 60_000 });
    // Two more intervals of waiting: the gate is asked twice more, every alert so far sent.
    await s.thenHookCalled('rollout-gate', (await s.thenHookCalled('rollout-gate', 1)) + 2);
    await s.thenAlertsSent();
    for (const p of PROVIDERS) assert.deepEqual(messages(p.type, since), [], `${p.type}: a muted gate raises no alert`);
    await (await s.workflow()).signal(approveSignal);
    await s.thenPhase('Failed', { since });
    const got = await routed(TEXT.threshold, 'error', since);
    assert.equal(got.get('slack')?.color, 'danger');
    assert.equal(got.get('discord')?.color, 'danger');
    assert.equal(got.get('rocket')?.color, '#FF0000');
    assert.equal(got.get('msteams')?.color, 'FF0000');
    for (const type of ['slack', 'msteams', 'discord', 'rocket', 'gchat'] as const) {
      assert.match(
        got.get(type)?.fields.Detail ?? '',
        /smoke.*smoke test failed: database unreachable/,
        `${type}: ${JSON.stringify(got.get(type)?.fields)}`,
      );
    }
    assert.equal(got.get('gchat')?.author, id);
    assert.equal(messages('gchat', since).length, 1, 'the error-only entry got the error alert and nothing else');
    assert.ok(!messages('slack', since).includes(TEXT.waiting));
  });

  it('alerts an abort as a warning', async () => {
    await whenSpecIs({ maxWeight: 50 });
    const since = await s.whenImageChanges('6.0.3');
    await s.thenWeight(10, since);
    await (await s.workflow()).signal(abortSignal);
    await s.thenPhase('Failed', { since, timeoutMs: 60_000 });
    await routed(TEXT.aborted, 'warn', since);
    assert.deepEqual(messages('gchat', since), []);
  });

  it('alerts a canary that never becomes ready as an error once progressDeadlineSeconds pass', async () => {
    await whenSpecIs({}, 15);
    // No node matches: the new revision's pods stay Pending.
    const since = await s.whenTargetChanges({
      spec: {
        template: { spec: { nodeSelector: { nowhere: 'true' }, containers: [{ name: 'podinfod', image: 'ghcr.io/stefanprodan/podinfo:6.0.4' }] } },
      },
    });
    await s.thenPhase('Failed', { since, timeoutMs: 120_000 });
    const got = await routed(/^Progress deadline exceeded /, 'error', since);
    assert.match(got.get('slack')?.message ?? '', new RegExp(`^Progress deadline exceeded canary deployment podinfo\\.${ns} not ready`));
    assert.equal(got.get('slack')?.fields['Progress deadline'], '15s');
  });

  it('routes by severity over the whole run: the warn entry got no info alert, the error entry only errors', () => {
    const all = (type: ProviderType) => messages(type);
    const info = [TEXT.initialized, TEXT.newRevision, TEXT.succeeded];
    assert.deepEqual(
      all('discord').filter((m) => info.includes(m)),
      [],
    );
    assert.deepEqual(
      all('gchat').filter((m) => m !== TEXT.threshold && !m.startsWith('Progress deadline exceeded')),
      [],
    );
    assert.ok(all('discord').includes(TEXT.waiting) && all('discord').includes(TEXT.aborted) && all('discord').includes(TEXT.threshold));
  });
});
