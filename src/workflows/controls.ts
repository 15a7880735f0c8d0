// The workflow's mailbox: signal handlers flip flags here and the rollout loop reads them between
// steps. Kept apart so the loop reads as the rollout's prose.
import { setHandler } from '@temporalio/workflow';
import { type Control } from '../rollout/analysis';
import { abortSignal, pauseSignal, promoteSignal, reconcileSignal, resumeSignal, type RolloutView } from './messages';

export class Controls {
  /** Something the Canary depends on may have changed since the last look. */
  changed = false;
  paused = false;
  private pending: Control | undefined;

  /** `view` is the state the query answers; its `paused` follows the signals. */
  constructor(private readonly view: Pick<RolloutView, 'paused'>) {
    setHandler(reconcileSignal, () => { this.changed = true; });
    setHandler(pauseSignal, () => { this.paused = true; this.view.paused = true; });
    setHandler(resumeSignal, () => { this.paused = false; this.view.paused = false; });
    setHandler(abortSignal, () => { this.pending = 'abort'; });
    setHandler(promoteSignal, () => { this.pending ??= 'promote'; });
  }

  /** abort or promote, once; pause while paused. */
  take(): Control | undefined {
    const c = this.pending;
    this.pending = undefined;
    return c ?? (this.paused ? 'pause' : undefined);
  }

  discardPending(): void {
    this.pending = undefined;
  }

  /** True when a signal should cut an interval's wait short. */
  get interrupting(): boolean {
    return this.changed || this.pending !== undefined;
  }
}
