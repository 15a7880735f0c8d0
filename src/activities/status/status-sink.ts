// The seam between the rollout and where its state is shown: the Canary's status and Events
// (`kubectl get/describe canary`), plus the log. Kubernetes is the one implementation.
import { type CanaryStatus } from '../../api/canary';

export interface CanaryRef {
  namespace: string;
  name: string;
}

export interface CanaryEvent extends CanaryRef {
  /** The Canary's uid; looked up when absent, since `kubectl describe` matches Events by uid. */
  uid?: string;
  type: 'Normal' | 'Warning';
  /** Flagger uses "Synced" for every event. */
  reason: string;
  message: string;
  /** Extra fields for the log line only (Events have no room for them). */
  detail?: Record<string, string | number>;
  /**
   * Identifies this occurrence (the workflow's run and event number): a retried activity that
   * already counted it does not count it again, so a crash never shows as a doubled step.
   */
  key?: string;
}

export interface StatusSink {
  /** Merges `status` into the Canary's status, maintaining lastTransitionTime and the Promoted condition. */
  writeStatus(ref: CanaryRef, status: Partial<CanaryStatus>): Promise<void>;
  /** One log line, and an Event on the Canary (repeats of the same text are counted, not duplicated). */
  recordEvent(event: CanaryEvent): Promise<void>;
}
