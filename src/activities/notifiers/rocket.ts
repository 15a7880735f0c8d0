// Rocket.Chat incoming webhooks accept the Slack body; Flagger gives them their own colours.
import { type ChatAlert, type ChatRequest, type ChatTarget, JSON_HEADERS, type Notifier } from './notifier';
import { type SlackPayload, slackShapedPayload } from './slack';

export function rocketPayload(alert: ChatAlert, target: ChatTarget): SlackPayload {
  return slackShapedPayload(alert, target, alert.severity === 'error' ? '#FF0000' : '#0076D7');
}

export const rocket: Notifier = {
  request(alert: ChatAlert, target: ChatTarget): ChatRequest {
    return { url: target.address, headers: { ...JSON_HEADERS }, body: JSON.stringify(rocketPayload(alert, target)) };
  },
};
