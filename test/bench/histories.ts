// What one rollout costs Temporal, read from the workflow's histories: events, workflow tasks,
// activities and actions. A rollout may span runs (continue-as-new), so every run of the Canary's
// workflow that overlaps the rollout's time window is read, and only its events inside the window count.
import { type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { canaryWorkflowId } from '../../src/workflows/messages';

const T = temporal.api.enums.v1.EventType;

export interface HistoryCost {
  events: number;
  workflowTasks: number;
  activities: number;
  timers: number;
  /**
   * Billable actions as Temporal Cloud counts them, as far as the history shows them: workflow
   * starts (continue-as-new included), signals received, activities and their retries, timers,
   * search attribute and memo updates, markers (local activities, side effects), child workflows
   * and external signals. Heartbeats and queries are not in the history and are not counted.
   */
  actions: number;
}

const ACTION_TYPES = new Set<temporal.api.enums.v1.EventType>([
  T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
  T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
  T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  T.EVENT_TYPE_TIMER_STARTED,
  T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  T.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
  T.EVENT_TYPE_MARKER_RECORDED,
  T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
  T.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
]);

type Event = temporal.api.history.v1.IHistoryEvent;

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => (t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : 0);

function cost(events: readonly Event[]): HistoryCost {
  const count = (type: temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === type).length;
  // An activity retried n times started n + 1 times; the retries are actions too.
  const retries = events.reduce((sum, e) => sum + Math.max(0, (e.activityTaskStartedEventAttributes?.attempt ?? 1) - 1), 0);
  return {
    events: events.length,
    workflowTasks: count(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    activities: count(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    timers: count(T.EVENT_TYPE_TIMER_STARTED),
    actions: events.filter((e) => ACTION_TYPES.has(e.eventType ?? T.EVENT_TYPE_UNSPECIFIED)).length + retries,
  };
}

/** The Canary's history events with their times, from every run that overlaps [since, until]. */
export async function canaryEvents(
  client: Client,
  namespace: string,
  name: string,
  since: number,
  until: number,
): Promise<{ at: number; event: Event }[]> {
  const workflowId = canaryWorkflowId(namespace, name);
  const out: { at: number; event: Event }[] = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    if (run.startTime.getTime() > until || (run.closeTime && run.closeTime.getTime() < since)) continue;
    const history = await client.workflow.getHandle(workflowId, run.runId).fetchHistory();
    for (const event of history.events ?? []) out.push({ at: ms(event.eventTime), event });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The cost of the events in (from, to]. */
export function costBetween(events: readonly { at: number; event: Event }[], from: number, to: number): HistoryCost {
  return cost(events.filter((e) => e.at > from && e.at <= to).map((e) => e.event));
}

export interface RolloutCost {
  /** From the new revision to the end of the run that finished the rollout (its post-rollout work and continue-as-new included). */
  rollout: HistoryCost;
  /** One analysis interval: the events between the first and the last step, divided by the steps between them. */
  perStep: HistoryCost;
}

/**
 * The cost of the rollout that began at `setAt` and ended (its last Event) at `doneAt`; `steps`
 * are the arrival times of its "Advance" Events. The run that continues after it starts after
 * `doneAt` and is left out.
 */
export async function rolloutCost(
  client: Client,
  namespace: string,
  name: string,
  setAt: number,
  doneAt: number,
  steps: readonly number[],
): Promise<RolloutCost> {
  const events = await canaryEvents(client, namespace, name, setAt, doneAt);
  const first = steps[0] ?? 0;
  const last = steps[steps.length - 1] ?? 0;
  const between = costBetween(events, first, last);
  const per = (x: number) => Math.round((x / Math.max(1, steps.length - 1)) * 10) / 10;
  return {
    rollout: costBetween(events, setAt, Infinity),
    perStep: {
      events: per(between.events),
      workflowTasks: per(between.workflowTasks),
      activities: per(between.activities),
      timers: per(between.timers),
      actions: per(between.actions),
    },
  };
}

/**
 * The notice a detection answered: the last signal Temporal recorded for the Canary's workflow
 * before `eventAt` (the "New revision detected" Event), looked for from `since` less a minute, and
 * when the workflow task it caused started on a worker; ms since the epoch, undefined when no
 * signal came. Not the first signal after `since`: the image is set when its write returns, and a
 * busy API server may tell the watcher, which signals, before it answers the write; the first
 * signal after the write's answer is then a later one (a resync's), minutes after the Event.
 */
export async function signalBefore(
  client: Client,
  namespace: string,
  name: string,
  since: number,
  eventAt: number,
): Promise<{ signaledAt: number; taskStartedAt?: number } | undefined> {
  const events = await canaryEvents(client, namespace, name, since - 60_000, eventAt);
  const signaled = (e: { at: number; event: Event }) => e.at <= eventAt && e.event.eventType === T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED;
  const i = events.findLastIndex(signaled);
  const signal = events[i];
  if (signal === undefined) return undefined;
  const started = events.slice(i).find((e) => e.event.eventType === T.EVENT_TYPE_WORKFLOW_TASK_STARTED);
  return { signaledAt: signal.at, taskStartedAt: started?.at };
}
