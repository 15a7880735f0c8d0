// Facts a test reads from a workflow's history instead of waiting wall-clock time: whether the run
// waits for nothing but a signal (so nothing can happen until one arrives), and how often an activity
// (a webhook, an alert) has run. Pure over the history; the caller fetches it.
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const EventType = temporal.api.enums.v1.EventType;

/**
 * True when the run has nothing in flight: its last workflow task completed, every activity it
 * scheduled has closed and every timer it started has fired or been cancelled. Such a run only
 * moves when a signal (or a query-free update) arrives: "nothing happens" is then a fact, not a hope.
 */
export function waitsOnlyForSignals(events: readonly HistoryEvent[]): boolean {
  if (events.at(-1)?.eventType !== EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) return false;
  const activities = new Set<string>();
  const timers = new Set<string>();
  for (const e of events) {
    const id = String(e.eventId ?? '');
    if (e.activityTaskScheduledEventAttributes) activities.add(id);
    const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes
      ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
    if (closed) activities.delete(String(closed.scheduledEventId ?? ''));
    if (e.timerStartedEventAttributes) timers.add(e.timerStartedEventAttributes.timerId ?? '');
    const ended = e.timerFiredEventAttributes ?? e.timerCanceledEventAttributes;
    if (ended) timers.delete(ended.timerId ?? '');
  }
  return activities.size === 0 && timers.size === 0;
}

/** The first argument each scheduled activity of `type` was called with, in the order scheduled. */
function inputsOf(events: readonly HistoryEvent[], type: string): { id: string; input: unknown }[] {
  return events.flatMap((e) => {
    const a = e.activityTaskScheduledEventAttributes;
    if (a?.activityType?.name !== type) return [];
    const payload = a.input?.payloads?.[0];
    return [{ id: String(e.eventId ?? ''), input: payload ? defaultPayloadConverter.fromPayload(payload) : undefined }];
  });
}

/** How many activities of `type` whose input satisfies `match` have completed in this history. */
export function completedActivities(events: readonly HistoryEvent[], type: string, match: (input: unknown) => boolean = () => true): number {
  const wanted = new Set(inputsOf(events, type).filter((a) => match(a.input)).map((a) => a.id));
  return events.filter((e) => wanted.has(String(e.activityTaskCompletedEventAttributes?.scheduledEventId ?? ''))).length;
}

/** True when every activity of `type` scheduled in this history has closed (none in flight or retrying). */
export function noneInFlight(events: readonly HistoryEvent[], type: string): boolean {
  const open = new Set(inputsOf(events, type).map((a) => a.id));
  for (const e of events) {
    const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes
      ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
    if (closed) open.delete(String(closed.scheduledEventId ?? ''));
  }
  return open.size === 0;
}
