// One rollout of a new revision: scale the canary up, analyse it step by step, then promote it or
// roll it back. Every decision comes from decide() in src/rollout; this file only carries them out.
import { condition } from '@temporalio/workflow';
import { type CanarySettings } from '../api/canary-settings';
import { type AnalysisConfig, type AnalysisState, decide, type Decision, initialAnalysisState, type IntervalInput } from '../rollout/analysis';
import * as msg from '../rollout/messages';
import { type CanaryRef } from '../rollout/names';
import { act, actOptions, summarized } from './activities';
import { type Alerts } from './alerts';
import { Checks } from './checks';
import { type Controls } from './controls';
import { waitForDeployment } from './deployment-wait';
import { historyIsLong, type RolloutResume } from './next-run';
import { type Reporter } from './reporter';
import { RolloutEnding, type RolloutOutcome, type RolloutTarget } from './rollout-ending';

export { type RolloutOutcome, type RolloutTarget } from './rollout-ending';

export class Rollout {
  private readonly ref: CanaryRef;
  private readonly config: AnalysisConfig;
  private readonly checks: Checks;
  private readonly ending: RolloutEnding;
  private state: AnalysisState;
  private readonly startedAt: string;

  constructor(
    private readonly settings: CanarySettings,
    private target: RolloutTarget,
    private readonly controls: Controls,
    private readonly reporter: Reporter,
    private readonly alerts: Alerts,
    /** Continues the rollout in a new run (continue-as-new); never returns. */
    private readonly carryOver: (resume: RolloutResume) => Promise<never>,
    private readonly resume?: RolloutResume,
  ) {
    this.ref = { name: settings.name, namespace: settings.namespace, targetName: settings.targetRef.name };
    const a = settings.analysis;
    this.config = {
      canary: this.ref,
      strategy: settings.strategy,
      weights: { stepWeight: a.stepWeight || undefined, stepWeights: a.stepWeights, maxWeight: a.maxWeight },
      iterations: a.iterations,
      threshold: a.threshold,
    };
    this.state = resume?.state ?? initialAnalysisState;
    this.startedAt = resume?.startedAt ?? new Date(Date.now()).toISOString();
    if (resume !== undefined) {
      this.target = resume.target;
      Object.assign(reporter.view, {
        canaryWeight: resume.state.canaryWeight, iterations: resume.state.iteration, failedChecks: resume.state.failedChecks, revision: resume.target.revision,
      });
      Object.assign(reporter.view.checks, resume.checks);
    }
    this.checks = new Checks(settings, this.ref, reporter, () => this.target.revision, () => controls.takeApproval());
    this.ending = new RolloutEnding(settings, this.ref, reporter, alerts, this.checks, () => ({
      revision: this.target.revision, startedAt: this.startedAt, failedChecks: this.state.failedChecks,
    }));
    // An abort or promote sent while no rollout ran has nothing to act on.
    if (resume === undefined) controls.discardPending();
  }

  async run(): Promise<RolloutOutcome> {
    let deadline: string | undefined;
    if (this.resume === undefined) {
      await this.reporter.event(msg.info(msg.newRevision(this.ref)));
      await this.reporter.status({
        phase: 'Progressing', lastAppliedSpec: this.target.revision, trackedConfigs: this.target.trackedConfigs,
        canaryWeight: 0, failedChecks: 0, iterations: 0,
      });
      await this.alerts.send(msg.alerts.newRevision());
      deadline = await this.scaleUpCanary();
      if (this.settings.skipAnalysis && deadline === undefined) return this.ending.promote(true);
    } else {
      deadline = await this.nextInterval();
    }
    for (;;) {
      const started = Date.now();
      const decision = await this.decideInterval(deadline);
      deadline = undefined;
      await this.reporter.events(decision.events);
      switch (decision.kind) {
        case 'rollback': return this.ending.rollback(decision);
        case 'promote': return this.ending.promote(false);
        case 'paused':
          this.state = decision.state;
          await condition(() => !this.controls.paused || this.controls.interrupting);
          // A change notice while paused is looked at (a new revision restarts, still paused)
          // and cleared, so the wait above holds again.
          if (this.controls.changed) deadline = await this.restartIfNewRevision();
          continue;
        case 'advance':
          this.state = decision.state;
          this.reporter.waiting(undefined);
          if (decision.routes) {
            const { primary, canary } = decision.routes;
            await summarized(act.setWeights, actOptions, `Route primary ${primary} / canary ${canary}`, { settings: this.settings, primary, canary });
          }
          break;
        case 'hold':
          this.state = decision.state;
          break;
        case 'await-approval':
          this.state = decision.state;
          this.reporter.waiting(decision.gate);
          if (decision.entered && !this.checks.refusalMuted(decision.gate)) await this.alerts.sendAll(decision.alerts);
          break;
      }
      await this.reporter.status(
        { phase: this.state.phase, canaryWeight: this.state.canaryWeight, failedChecks: this.state.failedChecks, iterations: this.state.iteration },
        { analysisSeconds: (Date.now() - started) / 1000 },
      );
      deadline = await this.nextInterval();
    }
  }

  /** Begins the next interval (in a new run when history has grown long) and waits it out. */
  private async nextInterval(): Promise<string | undefined> {
    if (historyIsLong()) {
      await this.carryOver({
        target: this.target, state: this.state, startedAt: this.startedAt, checks: this.reporter.view.checks,
        paused: this.controls.paused, changed: this.controls.changed,
      });
    }
    if (this.state.canaryWeight > 0 || this.state.iteration > 0) await this.checks.beginInterval('Progressing');
    return this.waitInterval();
  }

  /**
   * Waits one analysis interval. Abort, promote and approve cut it short; a change notice does
   * only when it is a new revision (which restarts the analysis), otherwise the wait goes on.
   */
  private async waitInterval(): Promise<string | undefined> {
    const end = Date.now() + this.settings.analysis.intervalMs;
    for (;;) {
      const left = end - Date.now();
      if (left <= 0 || !(await condition(() => this.controls.interrupting, left))) return undefined;
      if (!this.controls.changed) return undefined;
      const revision = this.target.revision;
      const deadline = await this.restartIfNewRevision();
      if (this.target.revision !== revision) return deadline;
    }
  }

  /** Asks decide() until it decides, running each check it needs on the way. */
  private async decideInterval(progressDeadlineExceeded: string | undefined): Promise<Exclude<Decision, { kind: 'run' }>> {
    let input: IntervalInput = { control: this.controls.take(), progressDeadlineExceeded };
    for (;;) {
      const d = decide(this.config, this.state, input);
      if (d.kind !== 'run') return d;
      input = { ...input, ...(await this.checks.run(d.need, 'Progressing')) };
    }
  }

  /** Scales the canary up and waits for it; answers the readiness error once the deadline passed. */
  private async scaleUpCanary(): Promise<string | undefined> {
    const name = this.settings.targetRef.name;
    const replicas = await act.canaryReplicas({ settings: this.settings });
    await summarized(act.scaleDeployment, actOptions, `Scale ${name} to ${replicas}`, { namespace: this.settings.namespace, name, replicas });
    const waited = await waitForDeployment(this.settings, this.reporter, name, this.settings.analysis.canaryReadyThreshold);
    return waited === undefined ? undefined : msg.canaryNotReady(this.ref, waited);
  }

  /** A change arrived mid-analysis: a new revision restarts the analysis from the beginning. */
  private async restartIfNewRevision(): Promise<string | undefined> {
    this.controls.changed = false;
    const t = await act.inspectTarget({ namespace: this.settings.namespace, name: this.settings.targetRef.name });
    if (!t.exists || t.revision === this.target.revision) return undefined;
    this.target = { revision: t.revision, trackedConfigs: t.trackedConfigs };
    this.state = initialAnalysisState;
    this.reporter.waiting(undefined);
    await this.reporter.event(msg.info(msg.restartingAnalysis(this.ref)));
    await act.setWeights({ settings: this.settings, primary: 100, canary: 0 });
    await this.reporter.status({ phase: 'Progressing', lastAppliedSpec: t.revision, trackedConfigs: t.trackedConfigs, canaryWeight: 0, failedChecks: 0, iterations: 0 });
    return this.scaleUpCanary();
  }
}
