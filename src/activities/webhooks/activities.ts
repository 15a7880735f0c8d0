// Webhook activities. Inputs and outputs are plain JSON: they cross Temporal's activity boundary.
import { type WebhookSettings } from '../../api/canary-settings';
import { withHeartbeat } from '../context';
import { HttpWebhookCaller } from './http-webhook-caller';
import { type WebhookResult } from './webhook-caller';
import { type WebhookPayload } from './webhook-payload';

const caller = new HttpWebhookCaller();

/**
 * POSTs the payload with the hook's timeout and retries. Never throws for the hook's own failure
 * (bad status, DNS, refused, timeout): that is a verdict for the rollout, returned as `ok: false`.
 */
export async function callWebhook(input: { hook: WebhookSettings; payload: WebhookPayload }): Promise<WebhookResult> {
  return withHeartbeat(() => caller.call(input.hook, input.payload));
}
