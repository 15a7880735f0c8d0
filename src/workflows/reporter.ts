// The rollout's voice: every event goes to the Canary as a Kubernetes Event and a JSON log line
// (through an activity, which also feeds the Canary's event webhooks), and every status change is
// projected onto the Canary's status, the workflow's search attributes and its current details in
// the Temporal UI. The view answered by the `state` query is kept here too, so all agree.
import { patched, setCurrentDetails, setHandler, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { type CanaryStatus } from '../api/canary';
import { type CanarySettings } from '../api/canary-settings';
import { type StatusObservation } from '../metrics/observation';
import { type DetailStep, MAX_DETAIL_STEPS, renderDetails } from '../rollout/details';
import { eventType, type RolloutEvent } from '../rollout/messages';
import { type MetricVerdict } from '../rollout/verdict';
import { act, actOptions, summarized } from './activities';
import { type CheckRecord, ROLLOUT_MEMO_KEY, type RolloutRecord, type RolloutView, stateQuery } from './messages';
import { searchAttributes as sa } from './search-attributes';

/** Runs recorded before search attributes were kept replay without these commands. */
const UI_METADATA = 'ui-metadata';

export class Reporter {
  readonly view: RolloutView = { phase: '', canaryWeight: 0, iterations: 0, failedChecks: 0, paused: false, checks: {} };
  private settings: CanarySettings | undefined;
  private lastApplied = '';
  private readonly steps: DetailStep[] = [];
  private sequence = 0;
  private indexed: { phase?: string; weight?: number; revision?: string } = {};

  constructor(readonly namespace: string, readonly name: string) {
    setHandler(stateQuery, () => this.view);
    // The UI names the canary from the run's first task, before anything has been looked at.
    this.publish();
  }

  /** The Canary as loaded: its event hooks, its target and strategy (for metrics and the UI). */
  attach(settings: CanarySettings, lastAppliedSpec: string): void {
    this.settings = settings;
    this.lastApplied = lastAppliedSpec;
    // Every run names its canary in the UI from its start, not only once something happens.
    this.publish();
    if (patched(UI_METADATA)) {
      upsertSearchAttributes([
        { key: sa.canaryNamespace, value: this.namespace }, { key: sa.canaryName, value: this.name },
        { key: sa.target, value: settings.targetRef.name },
      ]);
    }
  }

  async event(e: RolloutEvent, detail?: Record<string, string | number>): Promise<void> {
    this.view.lastEvent = e.message;
    this.step({ step: e.message, result: e.level });
    // The run and the event's number in it: a retry of this same event is recognised as such.
    const key = `${workflowInfo().runId}/${++this.sequence}`;
    const hooks = this.settings?.analysis.webhooks.filter((h) => h.type === 'event') ?? [];
    await summarized(act.recordEvent, actOptions, `Event: ${e.message}`, {
      namespace: this.namespace, name: this.name, type: eventType(e.level), reason: 'Synced', message: e.message, detail, key,
      notify: { hooks, phase: this.view.phase, checksum: this.view.revision ?? this.lastApplied },
    });
  }

  async events(list: readonly RolloutEvent[]): Promise<void> {
    for (const e of list) await this.event(e);
  }

  async status(status: Partial<CanaryStatus>, observe?: Partial<StatusObservation>): Promise<void> {
    const changed: Partial<RolloutView> = {
      ...(status.phase !== undefined && { phase: status.phase }),
      ...(status.canaryWeight !== undefined && { canaryWeight: status.canaryWeight }),
      ...(status.failedChecks !== undefined && { failedChecks: status.failedChecks }),
      ...(status.iterations !== undefined && { iterations: status.iterations }),
      ...(status.lastAppliedSpec !== undefined && { revision: status.lastAppliedSpec }),
    };
    // Recorded histories have the upsert before the write, so it stays there.
    this.index({ ...this.view, ...changed });
    const s = this.settings;
    const observation = s === undefined ? undefined : { target: s.targetRef.name, strategy: s.strategy, ...observe };
    const what = [status.phase, status.canaryWeight !== undefined ? `weight ${status.canaryWeight}` : undefined].filter((x) => x !== undefined);
    await summarized(act.writeCanaryStatus, actOptions, `Status: ${what.join(', ') || 'counters'}`, {
      namespace: this.namespace, name: this.name, status, observe: observation,
    });
    // The query and the UI show a phase once the Canary has it: a client that saw "Succeeded" from
    // the workflow finds "Succeeded" on the Canary too (kubectl, the demo, CI scripts).
    // Only the fields written: a signal may have paused the view meanwhile.
    Object.assign(this.view, changed);
    this.publish();
  }

  /** Says which gate the rollout waits at, or that it waits no more. */
  waiting(gate: RolloutView['waitingFor']): void {
    this.view.waitingFor = gate;
    this.publish();
  }

  /** The rollout ended: its outcome goes to the search attributes and its record to the memo. */
  finished(record: RolloutRecord): void {
    if (!patched(UI_METADATA)) return;
    upsertSearchAttributes([{ key: sa.outcome, value: record.outcome }]);
    upsertMemo({ [ROLLOUT_MEMO_KEY]: record });
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
    this.step({
      step: `${r.kind} ${r.name}`, result: r.ok ? 'ok' : `failed: ${r.message}`,
      value: r.value === undefined ? undefined : String(r.value), threshold: r.threshold,
    });
  }

  private step(s: Omit<DetailStep, 'at'>): void {
    this.steps.push({ ...s, at: new Date(Date.now()).toISOString() });
    if (this.steps.length > MAX_DETAIL_STEPS) this.steps.shift();
    this.publish();
  }

  /** The UI's current details: not a command, read through the metadata query. */
  private publish(): void {
    const v = this.view;
    setCurrentDetails(renderDetails({
      canary: `${this.name}.${this.namespace}`, phase: v.phase, canaryWeight: v.canaryWeight, iterations: v.iterations,
      failedChecks: v.failedChecks, paused: v.paused, revision: v.revision, waitingFor: v.waitingFor,
    }, this.steps));
  }

  /** Search attributes follow the phase, weight and revision; upserted only when they change. */
  private index(v: RolloutView): void {
    const changes = [
      ...(v.phase !== '' && v.phase !== this.indexed.phase ? [{ key: sa.phase, value: v.phase }] : []),
      ...(v.canaryWeight !== this.indexed.weight ? [{ key: sa.canaryWeight, value: v.canaryWeight }] : []),
      ...(v.revision !== undefined && v.revision !== this.indexed.revision ? [{ key: sa.revision, value: v.revision }] : []),
    ];
    if (changes.length === 0 || !patched(UI_METADATA)) return;
    this.indexed = { phase: v.phase, weight: v.canaryWeight, revision: v.revision };
    upsertSearchAttributes(changes);
  }
}
