// The rollout's voice: every event goes to the Canary as a Kubernetes Event and a JSON log line
// (through an activity), and every status change is projected onto the Canary's status. The view
// answered by the `state` query is kept here too, so all three always agree.
import { setHandler, workflowInfo } from '@temporalio/workflow';
import { type CanaryStatus } from '../api/canary';
import { eventType, type RolloutEvent } from '../rollout/messages';
import { type MetricVerdict } from '../rollout/verdict';
import { act } from './activities';
import { type CheckRecord, type RolloutView, stateQuery } from './messages';

export class Reporter {
  readonly view: RolloutView = { phase: '', canaryWeight: 0, iterations: 0, failedChecks: 0, paused: false, checks: {} };

  constructor(readonly namespace: string, readonly name: string) {
    setHandler(stateQuery, () => this.view);
  }

  private sequence = 0;

  async event(e: RolloutEvent, detail?: Record<string, string | number>): Promise<void> {
    this.view.lastEvent = e.message;
    // The run and the event's number in it: a retry of this same event is recognised as such.
    const key = `${workflowInfo().runId}/${++this.sequence}`;
    await act.recordEvent({ namespace: this.namespace, name: this.name, type: eventType(e.level), reason: 'Synced', message: e.message, detail, key });
  }

  async events(list: readonly RolloutEvent[]): Promise<void> {
    for (const e of list) await this.event(e);
  }

  async status(status: Partial<CanaryStatus>): Promise<void> {
    if (status.phase !== undefined) this.view.phase = status.phase;
    if (status.canaryWeight !== undefined) this.view.canaryWeight = status.canaryWeight;
    if (status.failedChecks !== undefined) this.view.failedChecks = status.failedChecks;
    if (status.iterations !== undefined) this.view.iterations = status.iterations;
    if (status.lastAppliedSpec !== undefined) this.view.revision = status.lastAppliedSpec;
    await act.writeCanaryStatus({ namespace: this.namespace, name: this.name, status });
  }

  recordMetric(v: MetricVerdict, query: string | undefined): void {
    this.record({ name: v.metric, kind: 'metric', ok: v.ok, value: v.value, threshold: v.thresholdText, query, message: v.detail });
  }

  recordHook(name: string, ok: boolean, message: string): void {
    this.record({ name, kind: 'webhook', ok, message });
  }

  private record(r: Omit<CheckRecord, 'at'>): void {
    // Workflow time is deterministic (the task's start time), so this is safe on replay.
    this.view.checks[r.name] = { ...r, at: new Date(Date.now()).toISOString() };
  }
}
