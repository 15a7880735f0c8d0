// Discord through its Slack-compatible endpoint: Flagger appends `/slack` to the webhook URL and
// posts the Slack body, with Slack's colours.
import { type ChatAlert, type ChatRequest, type ChatTarget, JSON_HEADERS, type Notifier } from './notifier';
import { slackPayload, type SlackPayload } from './slack';

/** The webhook URL with `/slack` appended, unless it already ends so. */
export function discordUrl(address: URL): URL {
  if (address.href.endsWith('/slack')) return address;
  const url = new URL(address.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/slack`;
  return url;
}

export function discordPayload(alert: ChatAlert, target: ChatTarget): SlackPayload {
  return slackPayload(alert, target);
}

export const discord: Notifier = {
  request(alert: ChatAlert, target: ChatTarget): ChatRequest {
    return { url: discordUrl(target.address), headers: { ...JSON_HEADERS }, body: JSON.stringify(discordPayload(alert, target)) };
  },
};
