// One rollout of a new revision: scale the canary up, analyse it interval by interval, then promote
// it or roll it back. Every decision comes from decide() in src/rollout; this file carries them out.
import { condition } from '@temporalio/workflow';
import { type CanarySettings } from '../api/canary-settings';
import { type AnalysisConfig, decide, type Decision, type IntervalInput } from '../rollout/analysis';
import {
  analysisAdvanced, analysisRestarted, rolloutStarted, type TargetRevision, waitingAt,
} from '../rollout/canary-state';
import * as msg from '../rollout/messages';
import { act, actOptions, summarized } from './activities';
import { type Alerts } from './alerts';
import { Checks } from './checks';
import { waitForDeployment } from './deployment-wait';
import { type Inbox } from './inbox';
import { type CarriedRollout, historyIsLong } from './next-run';
import { now, type CanaryRecord } from './record';
import { RolloutEnding, type RolloutOutcome } from './rollout-ending';

export { type RolloutOutcome } from './rollout-ending';

export class Rollout {
  private readonly config: AnalysisConfig;
  private readonly checks: Checks;
  private readonly ending: RolloutEnding;
  /** The canary's readiness error once its progress deadline passed: the next decision's input. */
  private canaryNotReady: string | undefined;

  constructor(
    private readonly settings: CanarySettings,
    private readonly record: CanaryRecord,
    private readonly inbox: Inbox,
    private readonly alerts: Alerts,
    /** Continues the rollout in a new run (continue-as-new); never returns. */
    private readonly carryOver: (carried: CarriedRollout) => Promise<never>,
  ) {
    const a = settings.analysis;
    this.config = {
      canary: record.ref,
      strategy: settings.strategy,
      weights: { stepWeight: a.stepWeight, stepWeights: a.stepWeights, maxWeight: a.maxWeight },
      iterations: a.iterations,
      threshold: a.threshold,
    };
    this.checks = new Checks(settings, record, () => record.state.applied?.revision ?? '', () => inbox.takeApproval());
    this.ending = new RolloutEnding(settings, record, alerts, this.checks);
  }

  /** Rolls `target` out from the start, or (without one) goes on with the rollout the state carries. */
  async run(target?: TargetRevision): Promise<RolloutOutcome> {
    if (target !== undefined) {
      // An abort or promote sent while no rollout ran has nothing to act on.
      this.inbox.dropStaleRequests();
      this.record.update(rolloutStarted, target, now());
      await this.record.event(msg.info(msg.newRevision(this.record.ref)));
      await this.record.writeStatus();
      await this.alerts.send(msg.alerts.newRevision());
      await this.scaleUpCanary();
      if (this.settings.skipAnalysis && this.canaryNotReady === undefined) return this.ending.promote(true);
    } else {
      await this.nextInterval();
    }
    for (;;) {
      const started = Date.now();
      const decision = await this.decideInterval();
      await this.record.events(decision.events);
      switch (decision.kind) {
        case 'rollback': return this.ending.rollback(decision);
        case 'promote': return this.ending.promote(false);
        case 'paused':
          this.record.update(analysisAdvanced, decision.state);
          await condition(() => !this.record.state.paused || this.inbox.hasNews);
          // A change notice while paused is looked at (a new revision restarts, still paused) and
          // taken, so the wait above holds again.
          if (this.inbox.hasChange) await this.restartIfNewRevision();
          continue;
        case 'advance':
          this.record.update(analysisAdvanced, decision.state);
          this.record.update(waitingAt, undefined);
          if (decision.routes) {
            const { primary, canary } = decision.routes;
            await summarized(act.setWeights, actOptions, `Route primary ${primary} / canary ${canary}`, { settings: this.settings, primary, canary });
          }
          break;
        case 'hold':
          this.record.update(analysisAdvanced, decision.state);
          break;
        case 'await-approval':
          this.record.update(analysisAdvanced, decision.state);
          this.record.update(waitingAt, decision.gate);
          if (decision.entered && !this.checks.refusalMuted(decision.gate)) await this.alerts.sendAll(decision.alerts);
          break;
      }
      await this.record.writeStatus({ analysisSeconds: (Date.now() - started) / 1000 });
      await this.nextInterval();
    }
  }

  /** Begins the next interval (in a new run when history has grown long) and waits it out. */
  private async nextInterval(): Promise<void> {
    if (historyIsLong()) await this.carryOver({ state: this.record.state, changed: this.inbox.hasChange });
    const { canaryWeight, iteration } = this.record.state.analysis;
    if (canaryWeight > 0 || iteration > 0) await this.checks.beginInterval('Progressing');
    await this.waitInterval();
  }

  /**
   * Waits one analysis interval. Abort, promote and approve cut it short; a change notice does
   * only when it is a new revision (which restarts the analysis), otherwise the wait goes on.
   */
  private async waitInterval(): Promise<void> {
    const end = Date.now() + this.settings.analysis.intervalMs;
    for (;;) {
      const left = end - Date.now();
      if (left <= 0 || !(await condition(() => this.inbox.hasNews, left))) return;
      if (!this.inbox.hasChange) return;
      if (await this.restartIfNewRevision()) return;
    }
  }

  /** Asks decide() until it decides, running each check it needs on the way. */
  private async decideInterval(): Promise<Exclude<Decision, { kind: 'run' }>> {
    const progressDeadlineExceeded = this.canaryNotReady;
    this.canaryNotReady = undefined;
    const control = this.inbox.takeCommand() ?? (this.record.state.paused ? 'pause' : undefined);
    let input: IntervalInput = { control, progressDeadlineExceeded };
    for (;;) {
      const d = decide(this.config, this.record.state.analysis, input);
      if (d.kind !== 'run') return d;
      input = { ...input, ...(await this.checks.run(d.need, 'Progressing')) };
    }
  }

  /** Scales the canary up and waits for it, noting its readiness error once the deadline passed. */
  private async scaleUpCanary(): Promise<void> {
    const name = this.settings.targetRef.name;
    const replicas = await act.canaryReplicas({ settings: this.settings });
    await summarized(act.scaleDeployment, actOptions, `Scale ${name} to ${replicas}`, { namespace: this.settings.namespace, name, replicas });
    const waited = await waitForDeployment(this.settings, this.record, name, this.settings.analysis.canaryReadyThreshold);
    this.canaryNotReady = waited === undefined ? undefined : msg.canaryNotReady(this.record.ref, waited);
  }

  /**
   * A change arrived mid-analysis: a new revision restarts the analysis from the beginning.
   * Answers whether it did.
   */
  private async restartIfNewRevision(): Promise<boolean> {
    this.inbox.takeChange();
    const t = await act.inspectTarget({ namespace: this.settings.namespace, name: this.settings.targetRef.name });
    if (!t.exists || t.revision === this.record.state.applied?.revision) return false;
    this.record.update(analysisRestarted, { revision: t.revision, trackedConfigs: t.trackedConfigs });
    await this.record.event(msg.info(msg.restartingAnalysis(this.record.ref)));
    await act.setWeights({ settings: this.settings, primary: 100, canary: 0 });
    await this.record.writeStatus();
    await this.scaleUpCanary();
    return true;
  }
}
