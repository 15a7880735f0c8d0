// The workflow's mailbox: signal handlers flip flags here and the rollout loop reads them between
// steps. Kept apart so the loop reads as the rollout's prose.
import { setHandler } from '@temporalio/workflow';
import { type Control } from '../rollout/analysis';
import {
  abortSignal, approveSignal, pauseSignal, promoteSignal, reconcileSignal, resumeSignal, retrySignal, type RolloutView,
} from './messages';

export class Controls {
  /** Something the Canary depends on may have changed since the last look. */
  changed = false;
  paused = false;
  /** A user asked to roll the current (failed) revision out again. */
  retry = false;
  private pending: Control | undefined;
  private approval = false;

  /** `view` is the state the query answers; its `paused` follows the signals. */
  constructor(private readonly view: Pick<RolloutView, 'paused' | 'waitingFor'>, carried?: { paused: boolean; changed: boolean }) {
    if (carried?.paused === true) this.setPaused(true);
    this.changed = carried?.changed === true;
    setHandler(reconcileSignal, () => { this.changed = true; });
    setHandler(pauseSignal, () => this.setPaused(true));
    setHandler(resumeSignal, () => this.setPaused(false));
    setHandler(abortSignal, () => { this.pending = 'abort'; });
    setHandler(promoteSignal, () => { this.pending ??= 'promote'; });
    // An approval applies to the gate the rollout waits at now; with no gate waiting it is ignored,
    // so a stray approve cannot open a gate met later.
    setHandler(approveSignal, () => { this.approval = this.view.waitingFor !== undefined; });
    setHandler(retrySignal, () => { this.retry = true; this.changed = true; });
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    this.view.paused = paused;
  }

  /** abort or promote, once; pause while paused. */
  take(): Control | undefined {
    const c = this.pending;
    this.pending = undefined;
    return c ?? (this.paused ? 'pause' : undefined);
  }

  /** An approve signal, once: it opens the gate the rollout waits at. */
  takeApproval(): boolean {
    const a = this.approval;
    this.approval = false;
    return a;
  }

  discardPending(): void {
    this.pending = undefined;
    this.approval = false;
  }

  /** True when a signal should cut an interval's wait short. */
  get interrupting(): boolean {
    return this.changed || this.pending !== undefined || this.approval;
  }
}
