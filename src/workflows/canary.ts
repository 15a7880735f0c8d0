// The life of one Canary, as one long-running workflow: initialise it, then roll out each new
// revision of its target as it appears. Runs until the Canary is deleted; continues as new after
// each rollout so its history stays small however many revisions come.
import { condition, patched } from '@temporalio/workflow';
import * as msg from '../rollout/messages';
import { quick, stepFailure } from './activities';
import { Alerts } from './alerts';
import { Checks } from './checks';
import { confirmRollout } from './confirm-rollout';
import { Inbox } from './inbox';
import { initialize } from './initialize';
import { look } from './look';
import { type CanaryWorkflowInput, type CarriedRollout, historyIsLong, nextRun, startingState } from './next-run';
import { GONE_ENDS_QUIETLY, LOOK_AGAIN_ONCE, SPEC_SYNC } from './patches';
import { CanaryRecord } from './record';
import { revertTarget } from './revert-on-deletion';
import { Rollout } from './rollout';
import { syncSpec } from './spec-sync';
import { adopted, aftermathOf, backToPromoted, checksCleared, phaseSet, problemFound, type TargetRevision } from './state';

export { type CanaryWorkflowInput } from './next-run';

export async function canaryWorkflow(input: CanaryWorkflowInput): Promise<void> {
  const start = startingState(input);
  const record = new CanaryRecord(start.state);
  const inbox = new Inbox(record, { changed: start.changed });
  await new Lifecycle(record, inbox, input.resume !== undefined).run();
}

/** How a pass over the Canary ended: it is gone (the workflow ends), or nothing is left to do. */
type PassEnd = 'gone' | 'settled';

class Lifecycle {
  constructor(
    private readonly record: CanaryRecord,
    private readonly inbox: Inbox,
    private resuming: boolean,
  ) {}

  async run(): Promise<void> {
    for (;;) {
      this.inbox.takeChange();
      try {
        if ((await this.pass()) === 'gone') return;
      } catch (err) {
        // A step no retry can fix (a target without a selector label, a Canary deleted midway):
        // say so on the Canary, then wait for the next change rather than fail the workflow.
        const failure = stepFailure(err);
        if (failure === undefined) throw err;
        // Deleted midway (its HTTPProxy or primary collected under a step): end without a word.
        if (patched(GONE_ENDS_QUIETLY) && (await this.isGone())) return;
        await this.reportInvalid([failure.message]).catch(() => undefined);
      }
      // Nothing to do until something changes: no polling, the watcher signals.
      await condition(() => this.inbox.hasChange);
      if (historyIsLong()) await this.nextRun();
    }
  }

  /** Looks at the Canary and does what it calls for, until nothing is left to do. */
  private async pass(): Promise<PassEnd> {
    for (;;) {
      // Waiting for confirm-rollout loops here every interval: start afresh once history grows.
      if (historyIsLong()) await this.nextRun();
      const next = await look(this.record, this.inbox, this.resuming);
      switch (next.kind) {
        case 'gone':
          return 'gone';
        case 'invalid':
          await this.reportInvalid(next.problems);
          return 'settled';
        case 'deleting':
          if (await revertTarget(this.record)) return 'gone';
          // The target is not ready yet: look again on the next change, or one deadline later.
          await this.lookAgainLater(this.record.settings.progressDeadlineSeconds * 1000);
          continue;
        case 'uninitialized':
          await this.initialize(next.canaryUid, next.target);
          continue;
        case 'resume':
          this.resuming = false;
          await this.rollOut();
          continue;
        case 'rollout':
          this.record.update(problemFound, undefined);
          if (next.specChanged && patched(SPEC_SYNC)) await syncSpec(this.record);
          if (await this.confirmed(next.target)) await this.rollOut(next.target);
          continue;
        case 'back-to-promoted':
          this.record.update(problemFound, undefined);
          if (next.specChanged) await syncSpec(this.record);
          await this.settleOnPromoted(next.target);
          continue;
        case 'adopt':
          this.record.update(problemFound, undefined);
          await this.adopt(next.target, next.specChanged);
          continue;
        case 'idle':
          this.record.update(problemFound, undefined);
          if (next.specChanged && patched(SPEC_SYNC)) await syncSpec(this.record);
          return 'settled';
      }
    }
  }

  /** Takes the Canary in hand; while its primary is not ready it stays Initializing and tries again later. */
  private async initialize(canaryUid: string, target: TargetRevision): Promise<void> {
    this.record.update(problemFound, undefined);
    if (await initialize(this.record, canaryUid, target)) {
      await new Alerts(this.record).send(msg.alerts.initialized('Deployment'));
      return;
    }
    // The next change, or one progress deadline later, tries again.
    const deadlineMs = this.record.settings.progressDeadlineSeconds * 1000;
    if (patched(LOOK_AGAIN_ONCE)) await this.lookAgainLater(deadlineMs);
    else await condition(() => this.inbox.hasChange, deadlineMs);
  }

  /** The confirm-rollout gate for a new revision: false while it holds (the next look decides again). */
  private confirmed(target: TargetRevision): Promise<boolean> {
    this.record.update(checksCleared);
    const gate = new Checks(
      this.record,
      () => target.revision,
      () => this.inbox.takeApproval(),
    );
    return confirmRollout(gate, this.inbox, this.record, new Alerts(this.record));
  }

  /**
   * Rolls out `target` (or the carried rollout), then starts the next run: one rollout per run.
   * Returns only when the Canary went away under the rollout, for the next look to see how.
   */
  private async rollOut(target?: TargetRevision): Promise<void> {
    const carry = (carried: CarriedRollout) => this.nextRun(carried);
    const end = await new Rollout(this.record, this.inbox, new Alerts(this.record), carry).run(target);
    if (end === 'gone') return;
    await this.nextRun();
  }

  /** The target runs what the primary runs: Succeeded again, without an analysis. */
  private async settleOnPromoted(target: TargetRevision): Promise<void> {
    this.record.update(backToPromoted, target);
    await this.record.event(msg.info(msg.backToPromoted(this.record.ref)));
    await this.record.writeStatus();
  }

  /** The primary already runs the target (Flagger promoted it): Perch's own revision from now on, without an analysis. */
  private async adopt(target: TargetRevision, specChanged: boolean): Promise<void> {
    this.record.update(adopted, target);
    await this.record.event(msg.info(msg.adopted(this.record.ref)));
    // The Services and HTTPProxy follow the spec as Perch reads it; that also writes the status.
    if (specChanged) await syncSpec(this.record);
    else await this.record.writeStatus();
  }

  private async isGone(): Promise<boolean> {
    const { namespace, name } = this.record.ref;
    return (await quick().loadCanary({ namespace, name })).kind === 'missing';
  }

  /**
   * Waits for the next change notice, or `ms`. A notice that came during the pass just made is
   * answered with one more look at once: left pending, it would end every later wait at once, and a
   * readiness check that fails at once (deadline exceeded) would then loop hot.
   */
  private async lookAgainLater(ms: number): Promise<void> {
    if (this.inbox.takeChange()) return;
    await condition(() => this.inbox.hasChange, ms);
  }

  /** Says once, as an Event and in the Promoted condition, why the Canary cannot be acted on. */
  private async reportInvalid(problems: string[]): Promise<void> {
    const text = `Canary is invalid: ${problems.join('; ')}`;
    if (this.record.state.lastEvent === text) return;
    await this.record.event(msg.warning(text));
    // A Canary that never initialised is marked Failed; one that did keeps its phase (its primary
    // still serves) and carries the problem in its Promoted condition.
    if (this.record.state.phase === '') this.record.update(phaseSet, 'Failed');
    this.record.update(problemFound, text);
    await this.record.writeStatus();
  }

  private nextRun(resume?: CarriedRollout): Promise<never> {
    const { namespace, name } = this.record.ref;
    const after = aftermathOf(this.record.state);
    return nextRun({ namespace, name, ...(resume && { resume }), ...(after && { after }) });
  }
}
