// What the workflow reports about a Canary: its status, its Events, the event webhooks, and the
// worker's Flagger metrics fed from the status. Each activity is built from the collaborators that
// do one thing each (StatusWriter, EventWriter, EventHooks, CanaryMetrics). Inputs and outputs are
// plain JSON: they cross Temporal's activity boundary.
import { type CanaryStatus } from '../../api/canary';
import { log } from '../../log';
import { type CanaryMetrics } from '../../metrics/canary-metrics';
import { type StatusObservation } from '../../metrics/observation';
import { activityContext, withHeartbeat } from '../context';
import { type EventHooks, type EventNotice, type PostedEvent } from '../webhooks/event-hooks';
import { type EventInput, type EventWriter } from './event-writer';
import { type StatusWriter } from './status-writer';
import { qualifiedName } from '../../rollout/names';

export interface StatusDependencies {
  status: StatusWriter;
  events: EventWriter;
  hooks: EventHooks;
  /** The worker's Flagger-compatible series, fed from the status written. */
  metrics: CanaryMetrics;
}

interface CanaryAt {
  namespace: string;
  name: string;
}

export interface WriteStatusInput extends CanaryAt {
  status: Partial<CanaryStatus>;
  /** Why the phase is what it is (the check that failed the rollout): added to the Promoted condition's message. */
  why?: string;
  /** Also feed the worker's Flagger metrics (after the write, so a failed write records nothing). */
  observe?: StatusObservation;
}

export interface RecordEventInput extends CanaryAt, EventInput {
  uid?: string;
  /** Also POST the Event to the Canary's `event` webhooks. */
  notify?: EventNotice;
}

export interface WriteEventsInput extends CanaryAt {
  uid?: string;
  events: EventInput[];
}

export interface NotifyEventHooksInput extends CanaryAt {
  events: PostedEvent[];
  notice: EventNotice;
}

export function statusActivities(deps: StatusDependencies) {
  const observe = (input: CanaryAt & { status?: Partial<CanaryStatus>; observe?: StatusObservation }): void => {
    if (input.observe && input.status) deps.metrics.observeStatus(input.namespace, input.status, input.observe, attemptKey());
  };
  return {
    /**
     * Merges `status` into the Canary's status subresource. lastTransitionTime moves when the phase
     * changes; the Promoted condition follows the phase by Flagger's rules. No write when nothing
     * changes. CanaryNotFound once the Canary is gone.
     */
    writeCanaryStatus: async (input: WriteStatusInput): Promise<void> => {
      await deps.status.write(input, input.status, input.why);
      observe(input);
    },

    /**
     * Writes Events on the Canary, in order, each counted once by its occurrence key however often
     * the call is retried. A write that fails throws, so Temporal retries it until it lands.
     * One JSON log line per Event (`msg`, `canary: "<name>.<namespace>"`, the detail).
     */
    writeEvents: async (input: WriteEventsInput): Promise<void> => {
      logEvents(input, input.events);
      await deps.events.write(input, input.events);
    },

    /** POSTs Events to the Canary's `event` webhooks, else to PERCH_EVENT_WEBHOOK_URL. A failing hook is logged, not thrown. */
    notifyEventHooks: async (input: NotifyEventHooksInput): Promise<void> => {
      await withHeartbeat(() => deps.hooks.post(input, input.events, input.notice));
    },

    /**
     * The workflow's original Event call: one Event (as writeEvents), then, with `notify`, its POST
     * to the event webhooks (as notifyEventHooks).
     */
    recordEvent: async (input: RecordEventInput): Promise<void> => {
      const { notify, namespace, name, uid, ...event } = input;
      const canary = { namespace, name, ...(uid && { uid }) };
      logEvents(canary, [event]);
      await deps.events.write(canary, [event]);
      if (notify !== undefined) await deps.hooks.post(canary, [event], notify);
    },
  };
}

/**
 * The log line of each Event, on the first attempt of the call only: a retry after a failed write
 * does not log the step again.
 */
function logEvents(canary: CanaryAt, events: readonly EventInput[]): void {
  if ((activityContext()?.info.attempt ?? 1) > 1) return;
  for (const e of events) log(e.type === 'Warning' ? 'warn' : 'info', e.message, { ...(e.detail ?? {}), canary: qualifiedName(canary) });
}

/** The same for every retry of one activity call: its run and activity ID. */
function attemptKey(): string | undefined {
  const info = activityContext()?.info;
  return info?.workflowExecution ? `${info.workflowExecution.runId}/${info.activityId}` : undefined;
}
