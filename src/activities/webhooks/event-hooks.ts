// `event` webhooks: every Event recorded on a Canary is also POSTed to its event hooks, with the
// Event's text, type and time added to the hook's metadata, as Flagger does. Posted from inside the
// Event activity, so they add nothing to the workflow's history. A failing event hook is logged
// and never affects the rollout.
import { type WebhookSettings } from '../../api/canary-settings';
import { log } from '../../log';
import { HttpWebhookCaller } from './http-webhook-caller';

export interface EventNotice {
  /** The Canary's `event` hooks; none means the global hook (PERCH_EVENT_WEBHOOK_URL), if set. */
  hooks: WebhookSettings[];
  /** The Canary's phase when the Event was recorded. */
  phase: string;
  checksum: string;
}

const caller = new HttpWebhookCaller();

/** Flagger's -event-webhook flag: used only for Canaries without an event hook of their own. */
function globalHook(env: NodeJS.ProcessEnv): WebhookSettings[] {
  const url = env.PERCH_EVENT_WEBHOOK_URL ?? '';
  if (url === '') return [];
  return [{ name: 'global-event-webhook', type: 'event', url, timeoutMs: 10_000, metadata: {}, muteAlert: false, retries: 0, disableTLS: false }];
}

export async function postEventHooks(
  canary: { namespace: string; name: string }, event: { type: 'Normal' | 'Warning'; message: string }, notice: EventNotice,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const hooks = notice.hooks.length > 0 ? notice.hooks : globalHook(env);
  for (const hook of hooks) {
    const metadata = { ...hook.metadata, eventMessage: event.message, eventType: event.type, timestamp: String(Date.now()) };
    const result = await caller.call(hook, { name: canary.name, namespace: canary.namespace, phase: notice.phase, checksum: notice.checksum, metadata });
    if (!result.ok) log('warn', `event webhook ${hook.name} failed: ${result.message}`, { canary: `${canary.name}.${canary.namespace}` });
  }
}
