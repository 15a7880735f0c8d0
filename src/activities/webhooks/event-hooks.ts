// `event` webhooks: the Events recorded on a Canary are also POSTed to its event hooks (or, for a
// Canary without any, to PERCH_EVENT_WEBHOOK_URL), with the Event's text, type and time added to the
// hook's metadata, as Flagger does. A failing event hook is logged and never affects the rollout.
import { type WebhookSettings } from '../../api/canary-settings';
import { log } from '../../log';
import { type WebhookCaller } from './webhook-caller';
import { qualifiedName } from '../../rollout/names';

export interface EventNotice {
  /** The Canary's `event` hooks; none means the global hook (PERCH_EVENT_WEBHOOK_URL), if set. */
  hooks: WebhookSettings[];
  /** The Canary's phase when the Event was recorded. */
  phase: string;
  checksum: string;
}

/** What an event hook is told about one Event. */
export interface PostedEvent {
  type: 'Normal' | 'Warning';
  message: string;
}

export class EventHooks {
  private readonly global: WebhookSettings[];

  /** `globalUrl`: Flagger's -event-webhook, used only for Canaries without an event hook of their own. */
  constructor(
    private readonly caller: WebhookCaller,
    globalUrl: string | undefined,
  ) {
    this.global = globalUrl
      ? [
          {
            name: 'global-event-webhook',
            type: 'event',
            url: globalUrl,
            timeoutMs: 10_000,
            metadata: {},
            muteAlert: false,
            retries: 0,
            disableTLS: false,
          },
        ]
      : [];
  }

  /**
   * Each hook gets the Events in order; the hooks are called side by side. Never throws for a hook's
   * failure; a retried call posts again, which event receivers (chat, audit logs) take as a repeat.
   */
  async post(canary: { namespace: string; name: string }, events: readonly PostedEvent[], notice: EventNotice): Promise<void> {
    const hooks = notice.hooks.length > 0 ? notice.hooks : this.global;
    await Promise.all(
      hooks.map(async (hook) => {
        for (const event of events) {
          const metadata = { ...hook.metadata, eventMessage: event.message, eventType: event.type, timestamp: String(Date.now()) };
          const result = await this.caller.call(hook, {
            name: canary.name,
            namespace: canary.namespace,
            phase: notice.phase,
            checksum: notice.checksum,
            metadata,
          });
          if (!result.ok) log('warn', `event webhook ${hook.name} failed: ${result.message}`, { canary: qualifiedName(canary) });
        }
      }),
    );
  }
}
