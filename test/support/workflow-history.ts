// Facts a test reads from a workflow's history instead of waiting wall-clock time: whether the run
// waits for nothing but a signal (so nothing can happen until one arrives), and how often an activity
// (a webhook, an alert) has run. Pure over the history; the caller fetches it.
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const EventType = temporal.api.enums.v1.EventType;
const WORKFLOW_TASK_EVENTS = new Set<temporal.api.enums.v1.EventType>([
  EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
]);

/** What a run has in flight: a workflow task not yet completed, activities not closed, timers not fired. */
export interface OpenWork {
  task: boolean;
  activities: number;
  timers: number;
}

export function openWork(events: readonly HistoryEvent[]): OpenWork {
  // The commands of the last task (markers, timers, activities) are recorded after its completion.
  const tasks = events.filter((e) => e.eventType !== undefined && e.eventType !== null && WORKFLOW_TASK_EVENTS.has(e.eventType));
  const activities = new Set<string>();
  const timers = new Set<string>();
  for (const e of events) {
    const id = String(e.eventId ?? '');
    if (e.activityTaskScheduledEventAttributes) activities.add(id);
    const closed =
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes ??
      e.activityTaskCanceledEventAttributes;
    if (closed) activities.delete(String(closed.scheduledEventId ?? ''));
    if (e.timerStartedEventAttributes) timers.add(e.timerStartedEventAttributes.timerId ?? '');
    const ended = e.timerFiredEventAttributes ?? e.timerCanceledEventAttributes;
    if (ended) timers.delete(ended.timerId ?? '');
  }
  return { task: tasks.at(-1)?.eventType !== EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, activities: activities.size, timers: timers.size };
}

/**
 * True when the run has nothing in flight: its last workflow task completed, every activity it
 * scheduled has closed and every timer it started has fired or been cancelled. Such a run only
 * moves when a signal arrives: "nothing happens" is then a fact, not a hope.
 */
export function waitsOnlyForSignals(events: readonly HistoryEvent[]): boolean {
  const open = openWork(events);
  return !open.task && open.activities === 0 && open.timers === 0;
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
  const wanted = new Set(
    inputsOf(events, type)
      .filter((a) => match(a.input))
      .map((a) => a.id),
  );
  return events.filter((e) => wanted.has(String(e.activityTaskCompletedEventAttributes?.scheduledEventId ?? ''))).length;
}

/** True when every activity of `type` scheduled in this history has closed (none in flight or retrying). */
export function noneInFlight(events: readonly HistoryEvent[], type: string): boolean {
  const open = new Set(inputsOf(events, type).map((a) => a.id));
  for (const e of events) {
    const closed =
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes ??
      e.activityTaskCanceledEventAttributes;
    if (closed) open.delete(String(closed.scheduledEventId ?? ''));
  }
  return open.size === 0;
}
