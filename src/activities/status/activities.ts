// Status and event activities. Inputs and outputs are plain JSON: they cross Temporal's activity boundary.
import { type CanaryStatus } from '../../api/canary';
import { KubeStatusSink } from './kube-status-sink';
import { type StatusSink } from './status-sink';

let sink: StatusSink | undefined;
const kube = (): StatusSink => (sink ??= new KubeStatusSink());

/**
 * Merges `status` into the Canary's status subresource. lastTransitionTime moves when the phase
 * changes; the Promoted condition follows the phase by Flagger's rules. No write when nothing changes.
 */
export async function writeCanaryStatus(input: { namespace: string; name: string; status: Partial<CanaryStatus> }): Promise<void> {
  await kube().writeStatus({ namespace: input.namespace, name: input.name }, input.status);
}

/**
 * One JSON log line (`msg`, `canary: "<name>.<namespace>"`, level, ts, detail) and a core/v1
 * Event on the Canary; an identical Event is counted on the existing one rather than repeated.
 */
export async function recordEvent(input: {
  namespace: string; name: string; uid?: string; type: 'Normal' | 'Warning'; reason: string; message: string;
  detail?: Record<string, string | number>; key?: string;
}): Promise<void> {
  await kube().recordEvent(input);
}
