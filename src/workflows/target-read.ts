// A read of the target started before the Canary's read says which target it names: the look that
// knows its target from an earlier one waits one round trip to the API server, not two.
import { CancellationScope } from '@temporalio/workflow';
import type { TargetInfo } from '../activities/kubernetes/inspect-target';
import { quick } from './activities';

export class TargetRead {
  private readonly scope = new CancellationScope();
  private readonly info: Promise<TargetInfo>;

  constructor(
    namespace: string,
    private readonly name: string,
  ) {
    this.info = this.scope.run(() => quick().inspectTarget({ namespace, name }));
    // A read cancelled unused is no failure of the workflow's.
    this.info.catch(() => undefined);
  }

  /** The read, when it is of `name`; otherwise it is cancelled and undefined is answered. */
  of(name: string): Promise<TargetInfo> | undefined {
    if (name === this.name) return this.info;
    this.cancel();
    return undefined;
  }

  /** Cancels the read if it is still running (the look ended without it). */
  cancel(): void {
    this.scope.cancel();
  }
}
