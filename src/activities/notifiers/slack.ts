// Slack incoming webhooks (and the Web API's chat.postMessage with a bot token): one attachment
// carrying the message and the fields, as Flagger posts it. Discord and Rocket.Chat reuse the shape.
import { type ChatAlert, type ChatRequest, type ChatTarget, JSON_HEADERS, type Notifier } from './notifier';
import { qualifiedName } from '../../rollout/names';

/** Where a Slack provider posts when its Secret holds a bot token but no address (Flagger's default). */
export const SLACK_POST_MESSAGE_URL = 'https://slack.com/api/chat.postMessage';

export interface SlackPayload {
  channel: string;
  username: string;
  icon_url: string;
  icon_emoji: string;
  attachments: {
    color: string;
    author_name: string;
    text: string;
    mrkdwn_in: string[];
    fields: { title: string; value: string; short: boolean }[];
  }[];
}

/** The Slack-shaped body; `color` is the provider's own colour for the alert's severity. */
export function slackShapedPayload(alert: ChatAlert, target: ChatTarget, color: string): SlackPayload {
  return {
    channel: target.channel,
    username: target.username,
    // Flagger always sends icon_url, empty, next to the emoji.
    icon_url: '',
    icon_emoji: ':rocket:',
    attachments: [
      {
        color,
        author_name: qualifiedName(alert),
        text: alert.message,
        mrkdwn_in: ['text'],
        fields: alert.fields.map((f) => ({ title: f.name, value: f.value, short: false })),
      },
    ],
  };
}

export function slackPayload(alert: ChatAlert, target: ChatTarget): SlackPayload {
  return slackShapedPayload(alert, target, alert.severity === 'error' ? 'danger' : 'good');
}

export const slack: Notifier = {
  request(alert: ChatAlert, target: ChatTarget): ChatRequest {
    const headers = target.token ? { ...JSON_HEADERS, Authorization: `Bearer ${target.token}` } : { ...JSON_HEADERS };
    return { url: target.address, headers, body: JSON.stringify(slackPayload(alert, target)) };
  },
  rejection(body: string): string | undefined {
    // Incoming webhooks answer a plain "ok"; the Web API answers JSON and reports errors in it.
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || (parsed as { ok?: unknown }).ok !== false) return undefined;
    const error = (parsed as { error?: unknown }).error;
    return `Slack answered ok:false${typeof error === 'string' ? ` (${error})` : ''}`;
  },
};
