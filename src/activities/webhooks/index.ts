// Activity functions only: the worker registers every function exported here. The payload builder
// is pure and safe for workflow code to import from './webhook-payload' directly.
export { callWebhook } from './activities';
export { type WebhookCaller, type WebhookResult } from './webhook-caller';
export { type WebhookPayload } from './webhook-payload';
