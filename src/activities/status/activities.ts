// Status and event activities. Inputs and outputs are plain JSON: they cross Temporal's activity boundary.
import { type CanaryStatus } from '../../api/canary';
import { type StatusObservation } from '../../metrics/observation';
import { workerMetrics } from '../../metrics/worker-metrics';
import { activityContext } from '../context';
import { type EventNotice, postEventHooks } from '../webhooks/event-hooks';
import { KubeStatusSink } from './kube-status-sink';
import { type StatusSink } from './status-sink';

let sink: StatusSink | undefined;
const kube = (): StatusSink => (sink ??= new KubeStatusSink());

/**
 * Merges `status` into the Canary's status subresource. lastTransitionTime moves when the phase
 * changes; the Promoted condition follows the phase by Flagger's rules. No write when nothing changes.
 * With `observe`, the written status also feeds the worker's Flagger metrics (after the write, so a
 * failed write records nothing).
 */
export async function writeCanaryStatus(input: {
  namespace: string; name: string; status: Partial<CanaryStatus>; observe?: StatusObservation;
}): Promise<void> {
  await kube().writeStatus({ namespace: input.namespace, name: input.name }, input.status);
  if (input.observe) workerMetrics().observeStatus(input.namespace, input.status, input.observe, attemptKey());
}

/** The same for every retry of one activity call: its run and activity ID. */
function attemptKey(): string | undefined {
  const info = activityContext()?.info;
  return info?.workflowExecution ? `${info.workflowExecution.runId}/${info.activityId}` : undefined;
}

/**
 * One JSON log line (`msg`, `canary: "<name>.<namespace>"`, level, ts, detail) and a core/v1
 * Event on the Canary; an identical Event is counted on the existing one rather than repeated.
 */
export async function recordEvent(input: {
  namespace: string; name: string; uid?: string; type: 'Normal' | 'Warning'; reason: string; message: string;
  detail?: Record<string, string | number>; key?: string;
  /** Also POST the Event to the Canary's `event` webhooks. */
  notify?: EventNotice;
}): Promise<void> {
  const { notify, ...event } = input;
  await kube().recordEvent(event);
  if (notify !== undefined) await postEventHooks(input, input, notify);
}
