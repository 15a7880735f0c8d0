// When `perch status --watch --until-finished` stops: at the end of a rollout it has seen under
// way, not at the end of the one before it. Pure, so the rule is unit-tested.
import { IN_PROGRESS } from './render';

export type Outcome = 'succeeded' | 'failed';

export class RolloutTracker {
  private seenProgress = false;

  /** Feeds one observed phase; returns the outcome once a rollout seen in progress has ended. */
  observe(phase: string): Outcome | undefined {
    if (IN_PROGRESS.has(phase)) {
      this.seenProgress = true;
      return undefined;
    }
    if (!this.seenProgress) return undefined;
    if (phase === 'Succeeded') return 'succeeded';
    if (phase === 'Failed') return 'failed';
    return undefined;
  }
}
