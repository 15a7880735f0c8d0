// The pure parts of the notifiers: each provider's body as Flagger shapes it, the alert fields, and
// the scrubbing of webhook URLs and tokens. No servers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeSupportsProxy } from '../../../src/activities/http/request';
import { discord, discordUrl } from '../../../src/activities/notifiers/discord';
import { alertFields } from '../../../src/activities/notifiers/fields';
import { gchat } from '../../../src/activities/notifiers/gchat';
import { msteams } from '../../../src/activities/notifiers/msteams';
import { type ChatAlert, type ChatTarget } from '../../../src/activities/notifiers/notifier';
import { notifierFor } from '../../../src/activities/notifiers/notifiers';
import { redact, urlForms } from '../../../src/activities/notifiers/redact';
import { rocket } from '../../../src/activities/notifiers/rocket';
import { slack } from '../../../src/activities/notifiers/slack';
import { type CanaryAnalysis } from '../../../src/api/canary-analysis';
import { seedSettings } from './settings';

const target: ChatTarget = { address: new URL('https://hooks.example.com/services/T1/B2/xyz'), channel: 'on-call', username: 'perch' };
const fields = [
  { name: 'Target', value: 'Deployment/podinfo.test' },
  { name: 'Detail', value: 'request-success-rate 91.00% < 99%' },
];
const alert = (severity: ChatAlert['severity']): ChatAlert => ({
  name: 'podinfo',
  namespace: 'test',
  message: 'Failed checks threshold reached 5',
  fields,
  severity,
});

describe('notifier payloads', () => {
  it('slack: one attachment, Flagger key order, danger for error and good otherwise', () => {
    const req = slack.request(alert('error'), target);
    assert.equal(req.url.href, target.address.href);
    assert.deepEqual(req.headers, { 'Content-Type': 'application/json' });
    assert.equal(
      req.body,
      JSON.stringify({
        channel: 'on-call',
        username: 'perch',
        icon_url: '',
        icon_emoji: ':rocket:',
        attachments: [
          {
            color: 'danger',
            author_name: 'podinfo.test',
            text: 'Failed checks threshold reached 5',
            mrkdwn_in: ['text'],
            fields: [
              { title: 'Target', value: 'Deployment/podinfo.test', short: false },
              { title: 'Detail', value: 'request-success-rate 91.00% < 99%', short: false },
            ],
          },
        ],
      }),
    );
    for (const s of ['info', 'warn'] as const) {
      assert.equal((JSON.parse(slack.request(alert(s), target).body) as { attachments: { color: string }[] }).attachments[0]?.color, 'good');
    }
  });

  it('slack: a bot token becomes a bearer header, and a Web API ok:false is a rejection', () => {
    assert.equal(slack.request(alert('info'), { ...target, token: 'xoxb-1' }).headers.Authorization, 'Bearer xoxb-1');
    assert.equal(slack.rejection?.('{"ok":false,"error":"channel_not_found"}'), 'Slack answered ok:false (channel_not_found)');
    assert.equal(slack.rejection?.('{"ok":true}'), undefined);
    assert.equal(slack.rejection?.('ok'), undefined);
  });

  it('discord: the Slack body, posted to the address with /slack appended once', () => {
    const req = discord.request(alert('error'), { ...target, address: new URL('https://discord.com/api/webhooks/1/abc') });
    assert.equal(req.url.href, 'https://discord.com/api/webhooks/1/abc/slack');
    assert.equal(req.body, slack.request(alert('error'), target).body);
    assert.equal(discordUrl(new URL('https://discord.com/api/webhooks/1/abc/slack')).href, 'https://discord.com/api/webhooks/1/abc/slack');
    assert.equal(discordUrl(new URL('https://discord.com/api/webhooks/1/abc/')).href, 'https://discord.com/api/webhooks/1/abc/slack');
  });

  it("rocket: the Slack body with Rocket's blue and red", () => {
    const color = (s: ChatAlert['severity']) =>
      (JSON.parse(rocket.request(alert(s), target).body) as { attachments: { color: string }[] }).attachments[0]?.color;
    assert.deepEqual([color('info'), color('warn'), color('error')], ['#0076D7', '#0076D7', '#FF0000']);
    assert.equal((JSON.parse(rocket.request(alert('info'), target).body) as { channel: string }).channel, 'on-call');
  });

  it('msteams: a MessageCard with the fields as facts, red for errors', () => {
    assert.deepEqual(JSON.parse(msteams.request(alert('error'), target).body), {
      '@type': 'MessageCard',
      '@context': 'http://schema.org/extensions',
      themeColor: 'FF0000',
      summary: 'podinfo.test',
      sections: [
        {
          activityTitle: 'Failed checks threshold reached 5',
          activitySubtitle: 'podinfo.test',
          facts: [
            { name: 'Target', value: 'Deployment/podinfo.test' },
            { name: 'Detail', value: 'request-success-rate 91.00% < 99%' },
          ],
        },
      ],
    });
    assert.equal((JSON.parse(msteams.request(alert('warn'), target).body) as { themeColor: string }).themeColor, '0076D7');
  });

  it('gchat: one card, the message then one section per field', () => {
    assert.deepEqual(JSON.parse(gchat.request(alert('info'), target).body), {
      cards: [
        {
          header: { title: 'Perch', subtitle: 'podinfo.test' },
          sections: [
            { widgets: [{ textParagraph: { text: '<font color=#848484><strong>Failed checks threshold reached 5</strong></font>' } }] },
            { widgets: [{ textParagraph: { text: 'Target<br><font color=#848484><strong>Deployment/podinfo.test</strong></font>' } }] },
            { widgets: [{ textParagraph: { text: 'Detail<br><font color=#848484><strong>request-success-rate 91.00% < 99%</strong></font>' } }] },
          ],
        },
      ],
    });
  });

  it('knows exactly the CRD types', () => {
    for (const t of ['slack', 'msteams', 'discord', 'rocket', 'gchat']) assert.ok(notifierFor(t), t);
    for (const t of ['generic', 'toString', '']) assert.equal(notifierFor(t), undefined, t);
  });
});

describe('alert fields', () => {
  const head = [
    { name: 'Target', value: 'Deployment/podinfo.test' },
    { name: 'Failed checks threshold', value: '5' },
    { name: 'Progress deadline', value: '600s' },
  ];

  it("carry Flagger's metadata and the detail when given", () => {
    assert.deepEqual(alertFields(seedSettings(), 'last failure: request-duration 1.2s > 500ms'), [
      ...head,
      { name: 'Traffic routing', value: 'Weight step: 5 max: 50' },
      { name: 'Detail', value: 'last failure: request-duration 1.2s > 500ms' },
    ]);
    assert.equal(alertFields(seedSettings(), '').length, 4);
  });

  it("lead with the cluster when PERCH_CLUSTER_NAME is set (Flagger's -cluster-name)", () => {
    assert.deepEqual(alertFields(seedSettings(), undefined, 'eu-west-1')[0], { name: 'Cluster', value: 'eu-west-1' });
    assert.deepEqual(alertFields(seedSettings(), undefined, 'eu-west-1').slice(1), alertFields(seedSettings()));
  });

  it('name the traffic routing of each strategy', () => {
    const routing = (analysis: Partial<CanaryAnalysis>) => alertFields(seedSettings({ analysis })).find((f) => f.name === 'Traffic routing')?.value;
    assert.equal(routing({ stepWeights: [1, 10, 40] }), 'Weight steps: 1,10,40 max: 40');
    assert.equal(routing({ iterations: 5, match: [{ headers: { 'x-canary': { exact: 'insider' } } }] }), 'A/B Testing');
    assert.equal(routing({ iterations: 5 }), 'Blue/Green');
    assert.equal(routing({}), undefined);
  });
});

describe('redaction', () => {
  it('removes every form of a webhook URL and the token, keeps the host', () => {
    const address = 'https://hooks.slack.com/services/T0/B0/s3cr3tPath';
    const text = `POST ${address} failed; path /services/T0/B0/s3cr3tPath; auth Bearer xoxb-999999; host hooks.slack.com`;
    const out = redact(text, [...urlForms(address), 'xoxb-999999']);
    assert.equal(out, 'POST [redacted] failed; path [redacted]; auth Bearer [redacted]; host hooks.slack.com');
  });

  it('hides proxy credentials and clips long texts to one line', () => {
    assert.equal(redact('via http://u:pa55word@proxy:3128/', urlForms('http://u:pa55word@proxy:3128/')), 'via [redacted]');
    assert.equal(redact('secret pa55word', urlForms('http://u:pa55word@proxy:3128/')), 'secret [redacted]');
    const long = redact(`a\n${'x'.repeat(400)}`, []);
    assert.equal(long.length, 301);
    assert.ok(!long.includes('\n'));
  });
});

describe('proxy support', () => {
  it('is there from Node 24.5', () => {
    assert.deepEqual(
      ['22.12.0', '24.4.1', '24.5.0', '25.0.0'].map((v) => nodeSupportsProxy(v)),
      [false, false, true, true],
    );
  });
});
