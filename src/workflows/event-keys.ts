// The occurrence key of each Event a run reports (EventInput.key): the Event writer counts an
// occurrence once per key, so a call retried after a crash is not counted twice. A key is the run
// and the ordinal of this Event's text among the identical texts the run reported: a workflow task
// cut short by a dying worker is run again from its last recorded point, and its checks (local
// activities, not yet recorded) may decide differently the second time, reporting a warning the
// first attempt did not. Counting per text keeps such an extra warning from shifting the keys of
// the step Events after it (a running count over all Events would, and the step would count twice).

/** Events longer than this are cut by the writer, so texts equal up to here are one Event. */
const SAME_EVENT_CHARS = 1024;

export class EventKeys {
  private readonly seen = new Map<string, number>();

  constructor(private readonly runId: string) {}

  /** The key of the next occurrence of `type` + `message` in this run. */
  next(type: string, message: string): string {
    const id = `${type}/${message.slice(0, SAME_EVENT_CHARS)}`;
    const n = (this.seen.get(id) ?? 0) + 1;
    this.seen.set(id, n);
    return `${this.runId}/${type}/${n}`;
  }
}
