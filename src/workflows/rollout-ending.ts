// How a rollout ends: promotion (copy the canary's spec to the primary, route back, scale down) or
// rollback (route back, scale down, mark Failed), each followed by post-rollout hooks, an alert
// and the rollout's record for the UI and the CLI's history.
import { patched, sleep } from '@temporalio/workflow';
import { type CanarySettings } from '../api/canary-settings';
import { type Decision } from '../rollout/analysis';
import * as msg from '../rollout/messages';
import { type CanaryRef } from '../rollout/names';
import { promotionPlan } from '../rollout/steps';
import { act, actOptions, summarized } from './activities';
import { type Alerts } from './alerts';
import { type Checks } from './checks';
import { type RolloutRecord } from './messages';
import { type Reporter } from './reporter';
import { waitForDeployment } from './deployment-wait';

export type RolloutOutcome = 'Succeeded' | 'Failed';

/** Runs recorded before stepWeightPromotion was honoured returned all traffic at once. */
const STEP_WEIGHT_PROMOTION = 'step-weight-promotion';

export interface RolloutTarget {
  revision: string;
  trackedConfigs: Record<string, string>;
}

interface Progress {
  revision: string;
  startedAt: string;
  failedChecks: number;
}

export class RolloutEnding {
  constructor(
    private readonly settings: CanarySettings,
    private readonly ref: CanaryRef,
    private readonly reporter: Reporter,
    private readonly alerts: Alerts,
    private readonly checks: Checks,
    private readonly progress: () => Progress,
  ) {}

  async promote(analysisSkipped: boolean): Promise<RolloutOutcome> {
    const primary = `${this.settings.targetRef.name}-primary`;
    const target = { namespace: this.settings.namespace, name: this.settings.targetRef.name };
    this.reporter.waiting(undefined);
    await this.reporter.status({ phase: 'Promoting' });
    // decide() already announced the copy when it chose promotion; runs recorded before that was
    // noticed announced it twice, and must replay as they ran.
    if (analysisSkipped || !patched('announce-copy-once')) await this.reporter.event(msg.info(msg.copyingSpec(this.ref)));
    await summarized(act.promotePrimary, actOptions, `Copy ${target.name} spec to ${primary}`, { settings: this.settings });
    const notReady = await waitForDeployment(this.settings, this.reporter, primary, this.settings.analysis.primaryReadyThreshold);
    if (notReady !== undefined) return this.promotionFailed(notReady);
    const step = this.settings.analysis.stepWeightPromotion;
    // A/B testing sends only the matching users to the canary: they all return at once.
    if (!analysisSkipped && step > 0 && this.settings.strategy !== 'ab-testing' && patched(STEP_WEIGHT_PROMOTION)) {
      await this.returnTrafficInSteps(step);
    } else {
      await this.reporter.status({ phase: 'Finalising' });
      await this.reporter.event(msg.info(msg.routingAllToPrimary()));
      await summarized(act.setWeights, actOptions, 'Route primary 100 / canary 0', { settings: this.settings, primary: 100, canary: 0 });
    }
    await summarized(act.scaleDeployment, actOptions, `Scale ${target.name} to 0`, { ...target, replicas: 0 });
    await this.reporter.event(msg.info(analysisSkipped ? msg.promotionSkippedAnalysis(this.ref) : msg.promotionCompleted(this.ref)));
    await this.reporter.status(
      { phase: 'Succeeded', canaryWeight: 0, lastPromotedSpec: this.progress().revision },
      { analysis: analysisSkipped ? 'skipped' : 'completed' },
    );
    await this.alerts.send(analysisSkipped ? msg.alerts.skipped() : msg.alerts.succeeded());
    return this.finish('Succeeded');
  }

  /**
   * stepWeightPromotion: the primary, now running the new version, takes its traffic back one step
   * per interval (Flagger's Promoting ticks), so a primary scaled down by its autoscaler during the
   * analysis is not handed everything at once. Nothing is analysed between steps: both sides run
   * the new version.
   */
  private async returnTrafficInSteps(step: number): Promise<void> {
    // The router's weights, as Flagger reads them: blue/green has all traffic on the canary here.
    const { canary } = await summarized(act.getWeights, actOptions, 'Read the route weights', { settings: this.settings });
    const plan = promotionPlan(canary, step);
    for (const [i, primary] of plan.entries()) {
      if (i > 0) await sleep(this.settings.analysis.intervalMs, { summary: `Promotion step ${i + 1} of ${plan.length}` });
      await this.reporter.event(msg.info(msg.advancePrimaryWeight(this.ref, primary)));
      await summarized(act.setWeights, actOptions, `Route primary ${primary} / canary ${100 - primary}`, { settings: this.settings, primary, canary: 100 - primary });
      if (primary < 100) await this.reporter.status({ canaryWeight: 100 - primary });
    }
    await this.reporter.status({ phase: 'Finalising', canaryWeight: 0 });
  }

  async rollback(decision: Extract<Decision, { kind: 'rollback' }>): Promise<RolloutOutcome> {
    const target = { namespace: this.settings.namespace, name: this.settings.targetRef.name };
    this.reporter.waiting(undefined);
    await summarized(act.setWeights, actOptions, 'Route primary 100 / canary 0', { settings: this.settings, primary: 100, canary: 0 });
    await summarized(act.scaleDeployment, actOptions, `Scale ${target.name} to 0`, { ...target, replicas: 0 });
    await this.reporter.status({ phase: 'Failed', canaryWeight: 0, failedChecks: decision.state.failedChecks }, { analysis: 'completed' });
    // Every rollback alerts, with why: Flagger stays silent on several (#1663, #1816).
    const alerts = decision.alerts.length > 0 ? decision.alerts : [msg.alerts.rolledBack(decision.detail)];
    await this.alerts.sendAll(alerts, decision.detail);
    return this.finish('Failed', decision.detail);
  }

  /**
   * The primary never became ready with the new spec (Flagger 1.44's handleFailedPromotion): all
   * traffic goes to the canary, which still runs the new version and is ready, and the rollout
   * fails, so someone looks. The target is not scaled down.
   */
  private async promotionFailed(error: string): Promise<RolloutOutcome> {
    await this.reporter.event(msg.warning(msg.promotionFailed(this.ref, error)));
    await summarized(act.setWeights, actOptions, 'Route primary 0 / canary 100', { settings: this.settings, primary: 0, canary: 100 });
    await this.reporter.status({ phase: 'Failed', canaryWeight: 100 }, { analysis: 'completed' });
    await this.alerts.send(msg.alerts.promotionFailed(error));
    return this.finish('Failed', msg.promotionFailed(this.ref, error));
  }

  private async finish(outcome: RolloutOutcome, reason?: string): Promise<RolloutOutcome> {
    this.reporter.waiting(undefined);
    for (const r of await this.checks.hooks('post-rollout', outcome, false)) {
      await this.reporter.event(r.ok ? msg.info(msg.postRolloutPassed(r.name)) : msg.warning(msg.postRolloutFailed(r.name, r.error ?? '')));
    }
    const p = this.progress();
    const record: RolloutRecord = {
      revision: p.revision, outcome, strategy: this.settings.strategy, startedAt: p.startedAt, finishedAt: new Date(Date.now()).toISOString(),
      ...(reason !== undefined && { reason }),
    };
    this.reporter.finished(record);
    return outcome;
  }
}
