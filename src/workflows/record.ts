// The workflow's one state value (src/workflows/state.ts) and its voice. Transitions change the
// state; every change is projected at once onto the `state` query and the UI's current details, and
// the writes here project it onto the Canary: its status (with the search attributes that follow
// it), its Events (with a JSON log line and the Canary's event webhooks) and, when a rollout ends,
// the run's memo.
import { patched, setCurrentDetails, setHandler, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { type CanarySettings } from '../api/canary-settings';
import { type StatusObservation } from '../metrics/observation';
import { type CanaryState, type CheckRecord, checkRecorded, eventReported, type RolloutRecord, statusShown } from './state';
import { eventType, type RolloutEvent } from '../rollout/messages';
import { type CanaryRef } from '../rollout/names';
import { detailsOf, type IndexedValues, indexedValues, queryView, shownOf, statusOf } from './projections';
import { type MetricVerdict } from '../rollout/verdict';
import { type EventNotice } from '../activities/webhooks/event-hooks';
import { eventHooks, quick, summarized } from './activities';
import { EventKeys } from './event-keys';
import { ROLLOUT_MEMO_KEY, stateQuery } from './messages';
import { LEAN_STEPS, UI_METADATA } from './patches';
import { searchAttributes as sa } from './search-attributes';

/** Workflow time (the task's start time): deterministic on replay. */
export const now = (): string => new Date(Date.now()).toISOString();

export class CanaryRecord {
  private s: CanaryState;
  /** What this run has upserted: each run indexes its own values from its first write. */
  private indexed: Partial<IndexedValues> = {};
  /** Rebuilt by replay like the rest of the run's memory; keys need only be unique per run. */
  private readonly keys = new EventKeys(workflowInfo().runId);

  constructor(initial: CanaryState) {
    this.s = initial;
    setHandler(stateQuery, () => queryView(this.s));
    // The UI names the canary from the run's first task, before anything has been looked at.
    this.publish();
  }

  get state(): CanaryState {
    return this.s;
  }

  get ref(): CanaryRef {
    return this.s.canary;
  }

  /** The Canary's spec the workflow acts on; loaded before anything is done for it. */
  get settings(): CanarySettings {
    const { settings } = this.s;
    if (settings === undefined) throw new Error(`canary ${this.ref.namespace}/${this.ref.name} acted on before it was loaded`);
    return settings;
  }

  /** Applies a named transition (src/workflows/state.ts) and shows the result. */
  update<A extends unknown[]>(transition: (s: CanaryState, ...args: A) => CanaryState, ...args: A): void {
    this.s = transition(this.s, ...args);
    this.publish();
  }

  /** Every run names its canary and target in the UI's list from its first look. */
  indexIdentity(settings: CanarySettings): void {
    if (patched(UI_METADATA)) {
      upsertSearchAttributes([
        { key: sa.canaryNamespace, value: this.ref.namespace },
        { key: sa.canaryName, value: this.ref.name },
        { key: sa.target, value: settings.targetRef.name },
      ]);
    }
  }

  /** Reports an Event: on the Canary, in the worker's log, and to the Canary's event webhooks. */
  async event(e: RolloutEvent, detail?: Record<string, string | number>): Promise<void> {
    await this.events([e], detail);
  }

  /** Reports Events in order: in new runs with one write for all of them, then one post to the hooks. */
  async events(list: readonly RolloutEvent[], detail?: Record<string, string | number>): Promise<void> {
    if (list.length === 0) return;
    const notice = this.eventNotice();
    const inputs = list.map((e) => {
      this.update(eventReported, e, now());
      // A retry of this same Event, even from a task run again, is recognised as such (event-keys.ts).
      const key = this.keys.next(eventType(e.level), e.message);
      const { rolloutStartedAt: rollout } = this.s;
      return { type: eventType(e.level), reason: 'Synced', message: e.message, detail, key, ...(rollout !== undefined && { rollout }) };
    });
    const { namespace, name } = this.ref;
    if (!patched(LEAN_STEPS)) {
      for (const input of inputs) await summarized(quick().recordEvent, `Event: ${input.message}`, { namespace, name, ...input, notify: notice });
      return;
    }
    const summary =
      inputs.length === 1 ? `Event: ${inputs[0]?.message ?? ''}` : `${inputs.length} Events: ${inputs.map((i) => i.message).join('; ')}`;
    await summarized(quick().writeEvents, summary, { namespace, name, events: inputs });
    await summarized(eventHooks.notifyEventHooks, `Event webhooks: ${inputs.length} Event(s)`, {
      namespace,
      name,
      events: inputs.map(({ type, message }) => ({ type, message })),
      notice,
    });
  }

  /** What the event webhooks are told besides the Event: the hooks, the phase shown, the revision. */
  private eventNotice(): EventNotice {
    const { shown, applied, settings } = this.s;
    const hooks = settings?.analysis.webhooks.filter((h) => h.type === 'event') ?? [];
    return { hooks, phase: shown.phase, checksum: shown.revision ?? applied?.revision ?? '' };
  }

  /**
   * Writes the state's status to the Canary. The query and the UI show it once written: a client
   * that saw "Succeeded" from the workflow finds "Succeeded" on the Canary too.
   */
  /** `why`: the reason for the phase, added to the Promoted condition (the check that failed a rollback). */
  async writeStatus(observe?: Partial<StatusObservation>, why?: string): Promise<void> {
    const status = statusOf(this.s, now());
    const shown = shownOf(status, this.s.shown);
    // Recorded histories have the upsert before the write, so it stays there.
    this.index(indexedValues(statusShown(this.s, shown)));
    const s = this.s.settings;
    const observation = s === undefined ? undefined : { target: s.targetRef.name, strategy: s.strategy, ...observe };
    const what = [status.phase, `weight ${status.canaryWeight ?? 0}`].join(', ');
    await summarized(quick().writeCanaryStatus, `Status: ${what}`, {
      namespace: this.ref.namespace,
      name: this.ref.name,
      status,
      observe: observation,
      ...(why !== undefined && { why }),
    });
    this.update(statusShown, shown);
  }

  recordMetric(v: MetricVerdict, query: string | undefined): void {
    this.check({ name: v.metric, kind: 'metric', ok: v.ok, value: v.value, threshold: v.thresholdText, query, message: v.detail });
  }

  recordHook(name: string, ok: boolean, message: string): void {
    this.check({ name, kind: 'webhook', ok, message });
  }

  private check(r: Omit<CheckRecord, 'at'>): void {
    this.update(checkRecorded, { ...r, at: now() });
  }

  /** The rollout ended: its outcome goes to the search attributes and its record to the memo. */
  finished(record: RolloutRecord): void {
    if (!patched(UI_METADATA)) return;
    upsertSearchAttributes([{ key: sa.outcome, value: record.outcome }]);
    upsertMemo({ [ROLLOUT_MEMO_KEY]: record });
  }

  /** The UI's current details: not a command, read through the metadata query. */
  private publish(): void {
    setCurrentDetails(detailsOf(this.s));
  }

  /** Search attributes follow the phase, weight and revision; upserted only when they change. */
  private index(v: IndexedValues): void {
    const last = this.indexed;
    const changes = [
      ...(v.phase !== undefined && v.phase !== last.phase ? [{ key: sa.phase, value: v.phase }] : []),
      ...(v.weight !== last.weight ? [{ key: sa.canaryWeight, value: v.weight }] : []),
      ...(v.revision !== undefined && v.revision !== last.revision ? [{ key: sa.revision, value: v.revision }] : []),
    ];
    if (changes.length === 0 || !patched(UI_METADATA)) return;
    this.indexed = v;
    upsertSearchAttributes(changes);
  }
}
