// Webhooks: the activity, the HTTP caller behind it and the event hooks. The payload builder is
// pure and safe for workflow code to import from './webhook-payload' directly.
export { webhookActivities } from './activities';
export { type EventNotice, EventHooks, type PostedEvent } from './event-hooks';
export { HttpWebhookCaller } from './http-webhook-caller';
export { type WebhookCaller, type WebhookResult } from './webhook-caller';
export { type WebhookPayload } from './webhook-payload';
