// One rollout of a new revision: scale the canary up, analyse it step by step, then promote it or
// roll it back. Every decision comes from decide() in src/rollout; this file only carries them out.
import { condition, patched } from '@temporalio/workflow';
import { type CanarySettings } from '../api/canary-settings';
import { type AnalysisConfig, type AnalysisState, decide, type Decision, initialAnalysisState, type IntervalInput } from '../rollout/analysis';
import * as msg from '../rollout/messages';
import { type CanaryRef } from '../rollout/names';
import { act, waits } from './activities';
import { Checks } from './checks';
import { type Controls } from './controls';
import { type Reporter } from './reporter';

export type RolloutOutcome = 'Succeeded' | 'Failed';

export interface RolloutTarget {
  revision: string;
  trackedConfigs: Record<string, string>;
}

export class Rollout {
  private readonly ref: CanaryRef;
  private readonly config: AnalysisConfig;
  private readonly checks: Checks;
  private state: AnalysisState = initialAnalysisState;

  constructor(
    private readonly settings: CanarySettings,
    private target: RolloutTarget,
    private readonly controls: Controls,
    private readonly reporter: Reporter,
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
    this.checks = new Checks(settings, this.ref, reporter, () => this.target.revision);
    // An abort or promote sent while no rollout ran has nothing to act on.
    controls.discardPending();
  }

  async run(): Promise<RolloutOutcome> {
    await this.reporter.event(msg.info(msg.newRevision(this.ref)));
    await this.reporter.status({
      phase: 'Progressing', lastAppliedSpec: this.target.revision, trackedConfigs: this.target.trackedConfigs,
      canaryWeight: 0, failedChecks: 0, iterations: 0,
    });
    let deadline = await this.scaleUpCanary();
    if (this.settings.skipAnalysis && deadline === undefined) return this.promote(true);
    for (;;) {
      const decision = await this.decideInterval(deadline);
      deadline = undefined;
      await this.reporter.events(decision.events);
      switch (decision.kind) {
        case 'rollback': return this.rollback();
        case 'promote': return this.promote(false);
        case 'paused':
          this.state = decision.state;
          await condition(() => !this.controls.paused || this.controls.interrupting);
          // A change notice while paused is looked at (a new revision restarts, still paused)
          // and cleared, so the wait above holds again.
          if (this.controls.changed) deadline = await this.restartIfNewRevision();
          continue;
        case 'advance':
          this.state = decision.state;
          if (decision.routes) await act.setWeights({ settings: this.settings, ...decision.routes });
          break;
        case 'hold':
        case 'await-approval':
          this.state = decision.state;
          break;
      }
      await this.reporter.status({ canaryWeight: this.state.canaryWeight, failedChecks: this.state.failedChecks, iterations: this.state.iteration });
      if (this.state.canaryWeight > 0 || this.state.iteration > 0) await this.checks.beginInterval('Progressing');
      deadline = await this.waitInterval();
    }
  }

  /**
   * Waits one analysis interval. Abort and promote cut it short; a change notice does only when it
   * is a new revision (which restarts the analysis), otherwise the wait goes on to its end.
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
    await act.scaleDeployment({ namespace: this.settings.namespace, name, replicas: await act.canaryReplicas({ settings: this.settings }) });
    const waited = await this.waitForDeployment(name, this.settings.analysis.canaryReadyThreshold);
    return waited === undefined ? undefined : msg.canaryNotReady(this.ref, waited);
  }

  /**
   * Waits, through a watch, until the Deployment is ready or progressDeadlineSeconds pass, and says
   * once, in the seed's words, that it is waiting. Answers the readiness error when it gave up.
   */
  private async waitForDeployment(name: string, readyThreshold: number): Promise<string | undefined> {
    const input = { namespace: this.settings.namespace, name, readyThreshold, progressDeadlineSeconds: this.settings.progressDeadlineSeconds };
    const now = await act.deploymentReadiness(input);
    if (now.ready) return undefined;
    await this.reporter.event(msg.info(msg.rolloutWaitingDocsWording(`${name}.${this.settings.namespace}`, now.available, now.desired)), { reason: now.message });
    const waited = await waits.waitForReady({ ...input, timeoutMs: this.settings.progressDeadlineSeconds * 1000 });
    return waited.ready ? undefined : waited.message;
  }

  /** A change arrived mid-analysis: a new revision restarts the analysis from the beginning. */
  private async restartIfNewRevision(): Promise<string | undefined> {
    this.controls.changed = false;
    const t = await act.inspectTarget({ namespace: this.settings.namespace, name: this.settings.targetRef.name });
    if (!t.exists || t.revision === this.target.revision) return undefined;
    this.target = { revision: t.revision, trackedConfigs: t.trackedConfigs };
    this.state = initialAnalysisState;
    await this.reporter.event(msg.info(msg.restartingAnalysis(this.ref)));
    await act.setWeights({ settings: this.settings, primary: 100, canary: 0 });
    await this.reporter.status({ lastAppliedSpec: t.revision, trackedConfigs: t.trackedConfigs, canaryWeight: 0, failedChecks: 0, iterations: 0 });
    return this.scaleUpCanary();
  }

  private async promote(analysisSkipped: boolean): Promise<RolloutOutcome> {
    const primary = `${this.settings.targetRef.name}-primary`;
    await this.reporter.status({ phase: 'Promoting' });
    // decide() already announced the copy when it chose promotion; runs recorded before that was
    // noticed announced it twice, and must replay as they ran.
    if (analysisSkipped || !patched('announce-copy-once')) await this.reporter.event(msg.info(msg.copyingSpec(this.ref)));
    await act.promotePrimary({ settings: this.settings });
    await this.waitForDeployment(primary, this.settings.analysis.primaryReadyThreshold);
    await this.reporter.status({ phase: 'Finalising' });
    await this.reporter.event(msg.info(msg.routingAllToPrimary()));
    await act.setWeights({ settings: this.settings, primary: 100, canary: 0 });
    await act.scaleDeployment({ namespace: this.settings.namespace, name: this.settings.targetRef.name, replicas: 0 });
    await this.reporter.event(msg.info(analysisSkipped ? msg.promotionSkippedAnalysis(this.ref) : msg.promotionCompleted(this.ref)));
    await this.reporter.status({ phase: 'Succeeded', canaryWeight: 0, lastPromotedSpec: this.target.revision });
    await this.postRollout('Succeeded');
    return 'Succeeded';
  }

  private async rollback(): Promise<RolloutOutcome> {
    await act.setWeights({ settings: this.settings, primary: 100, canary: 0 });
    await act.scaleDeployment({ namespace: this.settings.namespace, name: this.settings.targetRef.name, replicas: 0 });
    await this.reporter.status({ phase: 'Failed', canaryWeight: 0, failedChecks: this.state.failedChecks });
    await this.postRollout('Failed');
    return 'Failed';
  }

  private async postRollout(phase: RolloutOutcome): Promise<void> {
    for (const r of await this.checks.hooks('post-rollout', phase, false)) {
      await this.reporter.event(r.ok ? msg.info(msg.postRolloutPassed(r.name)) : msg.warning(msg.postRolloutFailed(r.name, r.error ?? '')));
    }
  }
}
