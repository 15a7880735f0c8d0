// Webhook activities. Inputs and outputs are plain JSON: they cross Temporal's activity boundary.
import { type WebhookSettings } from '../../api/canary-settings';
import { withHeartbeat } from '../context';
import { type WebhookCaller, type WebhookResult } from './webhook-caller';
import { type WebhookPayload } from './webhook-payload';

export function webhookActivities(caller: WebhookCaller) {
  return {
    /**
     * POSTs the payload with the hook's timeout and retries. Never throws for the hook's own failure
     * (bad status, DNS, refused, timeout): that is a verdict for the rollout, returned as `ok: false`.
     */
    callWebhook: (input: { hook: WebhookSettings; payload: WebhookPayload }): Promise<WebhookResult> => {
      return withHeartbeat(() => caller.call(input.hook, input.payload));
    },
  };
}
