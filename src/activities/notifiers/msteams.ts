// Microsoft Teams incoming webhooks: a MessageCard with the message as the activity title and the
// fields as facts, red for errors, as Flagger posts it. Channel and username do not apply.
import { type ChatAlert, type ChatRequest, type ChatTarget, JSON_HEADERS, type Notifier } from './notifier';
import { qualifiedName } from '../../rollout/names';

export interface MSTeamsPayload {
  '@type': 'MessageCard';
  '@context': string;
  themeColor: string;
  summary: string;
  sections: { activityTitle: string; activitySubtitle: string; facts: { name: string; value: string }[] }[];
}

export function msteamsPayload(alert: ChatAlert): MSTeamsPayload {
  return {
    '@type': 'MessageCard',
    '@context': 'http://schema.org/extensions',
    themeColor: alert.severity === 'error' ? 'FF0000' : '0076D7',
    summary: qualifiedName(alert),
    sections: [
      {
        activityTitle: alert.message,
        activitySubtitle: qualifiedName(alert),
        facts: alert.fields.map((f) => ({ name: f.name, value: f.value })),
      },
    ],
  };
}

export const msteams: Notifier = {
  request(alert: ChatAlert, target: ChatTarget): ChatRequest {
    return { url: target.address, headers: { ...JSON_HEADERS }, body: JSON.stringify(msteamsPayload(alert)) };
  },
};
