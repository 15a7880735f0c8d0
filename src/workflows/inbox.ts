// Where signals land. Each kind of news is taken once by the code that acts on it: nothing outside
// this file sets or clears a flag. Pause and resume are not news but state: they go straight to the
// record as transitions.
import { setHandler } from '@temporalio/workflow';
import { pauseSet } from './state';
import { abortSignal, approveSignal, pauseSignal, promoteSignal, reconcileSignal, resumeSignal, retrySignal } from './messages';
import { type CanaryRecord } from './record';

/** What a user asked of the running analysis: end it now, one way or the other. */
export type Command = 'abort' | 'promote';

/** News a run carries into the next when it continues as new. */
export interface CarriedNews {
  /** A change notice not yet looked at. */
  changed: boolean;
}

export class Inbox {
  private changed: boolean;
  private command: Command | undefined;
  private approval = false;
  private retry = false;

  constructor(record: CanaryRecord, carried?: CarriedNews) {
    this.changed = carried?.changed === true;
    setHandler(reconcileSignal, () => {
      this.changed = true;
    });
    setHandler(pauseSignal, () => record.update(pauseSet, true));
    setHandler(resumeSignal, () => record.update(pauseSet, false));
    setHandler(abortSignal, () => {
      this.command = 'abort';
    });
    // An abort already asked for is not overridden by a later promote.
    setHandler(promoteSignal, () => {
      this.command ??= 'promote';
    });
    // An approval opens the gate the rollout waits at now; with no gate waiting it is dropped, so a
    // stray approve cannot open a gate met later.
    setHandler(approveSignal, () => {
      this.approval = record.state.gate !== undefined;
    });
    setHandler(retrySignal, () => {
      this.retry = true;
      this.changed = true;
    });
  }

  /** Something the Canary depends on may have changed since the last look. */
  get hasChange(): boolean {
    return this.changed;
  }

  /** News that cuts a wait short: a change, an abort or promote, an approval. */
  get hasNews(): boolean {
    return this.changed || this.command !== undefined || this.approval;
  }

  takeChange(): boolean {
    const c = this.changed;
    this.changed = false;
    return c;
  }

  takeCommand(): Command | undefined {
    const c = this.command;
    this.command = undefined;
    return c;
  }

  /** An approve signal, once: it opens the gate the rollout waits at. */
  takeApproval(): boolean {
    const a = this.approval;
    this.approval = false;
    return a;
  }

  /** A retry signal, once: roll the current (failed) revision out again. */
  takeRetry(): boolean {
    const r = this.retry;
    this.retry = false;
    return r;
  }

  /** A new rollout does not act on an abort, promote or approval sent while none ran. */
  dropStaleRequests(): void {
    this.takeCommand();
    this.takeApproval();
  }
}
