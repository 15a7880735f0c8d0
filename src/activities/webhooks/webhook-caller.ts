// The seam between the rollout and webhook transport (Flagger's CallWebhook): one call, with the
// hook's own timeout and retries, answered as data rather than thrown.
import { type WebhookSettings } from '../../api/canary-settings';
import { type WebhookPayload } from './webhook-payload';

export interface WebhookResult {
  /** Flagger's rule: any answer with status ≤ 202. */
  ok: boolean;
  /** HTTP status of the last answer; 0 when none came (DNS, refused, timeout). */
  status: number;
  /** The response body, or for exhausted retries Flagger's "POST <url> giving up after N attempt(s)" and the reason. */
  message: string;
}

export interface WebhookCaller {
  call(hook: WebhookSettings, payload: WebhookPayload): Promise<WebhookResult>;
}
