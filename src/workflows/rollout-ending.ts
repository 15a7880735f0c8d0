// How a rollout ends: promotion (copy the canary's spec to the primary, route back, scale down) or
// rollback (route back, scale down, mark Failed), each followed by post-rollout hooks, an alert
// and the rollout's record for the UI and the CLI's history.
import { patched, sleep } from '@temporalio/workflow';
import { type CanarySettings } from '../api/canary-settings';
import { type Decision } from '../rollout/analysis';
import { analysisAdvanced, canaryWeightSet, phaseSet, promoted, rolloutFinished, type RolloutRecord, waitingAt } from './state';
import * as msg from '../rollout/messages';
import { promotionPlan } from '../rollout/steps';
import { long, quick, summarized } from './activities';
import { type Alerts } from './alerts';
import { type Checks } from './checks';
import { waitForDeployment } from './deployment-wait';
import { ANNOUNCE_COPY_ONCE, FINALISING_AFTER_ROUTE, STEP_WEIGHT_PROMOTION } from './patches';
import { now, type CanaryRecord } from './record';
import { type TargetRevision } from './state';

export type RolloutOutcome = 'Succeeded' | 'Failed';

/** A promotion ends the rollout, unless the target moved on from the revision analysed. */
export type PromotionEnd = { kind: 'ended'; outcome: RolloutOutcome } | { kind: 'target-moved'; found: TargetRevision };

export class RolloutEnding {
  constructor(
    private readonly record: CanaryRecord,
    private readonly alerts: Alerts,
    private readonly checks: Checks,
  ) {}

  private get settings(): CanarySettings {
    return this.record.settings;
  }

  private get target(): { namespace: string; name: string } {
    return { namespace: this.settings.namespace, name: this.settings.targetRef.name };
  }

  /**
   * The primary receives the revision analysed, or nothing: the copy compares the target's revision
   * with it and answers the target's when they differ (a change after the last check).
   */
  async promote(analysisSkipped: boolean): Promise<PromotionEnd> {
    const { ref } = this.record;
    const primary = `${this.target.name}-primary`;
    this.record.update(waitingAt, undefined);
    this.record.update(phaseSet, 'Promoting');
    await this.record.writeStatus();
    // decide() already announced the copy when it chose promotion; runs recorded before that was
    // noticed announced it twice, and must replay as they ran.
    if (analysisSkipped || !patched(ANNOUNCE_COPY_ONCE)) await this.record.event(msg.info(msg.copyingSpec(ref)));
    const revision = this.record.state.applied?.revision;
    const copied = await summarized(long().promotePrimary, `Copy ${this.target.name} spec to ${primary}`, { settings: this.settings, revision });
    // Runs recorded before the copy compared revisions have no answer here: they copied.
    if (copied?.promoted === false) return { kind: 'target-moved', found: copied.found };
    const notReady = await waitForDeployment(this.record, primary, this.settings.analysis.primaryReadyThreshold);
    if (notReady !== undefined) return { kind: 'ended', outcome: await this.promotionFailed(notReady) };
    const step = this.settings.analysis.stepWeightPromotion;
    // A/B testing sends only the matching users to the canary: they all return at once.
    if (!analysisSkipped && step > 0 && this.settings.strategy !== 'ab-testing' && patched(STEP_WEIGHT_PROMOTION)) {
      await this.returnTrafficInSteps(step);
    } else if (patched(FINALISING_AFTER_ROUTE)) {
      // As Flagger: route back, then Finalising with the canary's weight at 0, which is now true.
      await this.record.event(msg.info(msg.routingAllToPrimary()));
      await summarized(quick().setWeights, 'Route primary 100 / canary 0', { settings: this.settings, primary: 100, canary: 0 });
      this.record.update(canaryWeightSet, 0);
      this.record.update(phaseSet, 'Finalising');
      await this.record.writeStatus();
    } else {
      this.record.update(phaseSet, 'Finalising');
      await this.record.writeStatus();
      await this.record.event(msg.info(msg.routingAllToPrimary()));
      await summarized(quick().setWeights, 'Route primary 100 / canary 0', { settings: this.settings, primary: 100, canary: 0 });
    }
    await summarized(quick().scaleDeployment, `Scale ${this.target.name} to 0`, { ...this.target, replicas: 0 });
    await this.record.event(msg.info(analysisSkipped ? msg.promotionSkippedAnalysis(ref) : msg.promotionCompleted(ref)));
    this.record.update(promoted);
    await this.record.writeStatus({ analysis: analysisSkipped ? 'skipped' : 'completed' });
    await this.alerts.send(analysisSkipped ? msg.alerts.skipped() : msg.alerts.succeeded());
    return { kind: 'ended', outcome: await this.finish('Succeeded') };
  }

  /**
   * stepWeightPromotion: the primary, now running the new version, takes its traffic back one step
   * per interval (Flagger's Promoting ticks), so a primary scaled down by its autoscaler during the
   * analysis is not handed everything at once. Nothing is analysed between steps: both sides run
   * the new version.
   */
  private async returnTrafficInSteps(step: number): Promise<void> {
    // The router's weights, as Flagger reads them: blue/green has all traffic on the canary here.
    const { canary } = await summarized(quick().getWeights, 'Read the route weights', { settings: this.settings });
    const plan = promotionPlan(canary, step);
    for (const [i, primary] of plan.entries()) {
      if (i > 0) await sleep(this.settings.analysis.intervalMs, { summary: `Promotion step ${i + 1} of ${plan.length}` });
      await this.record.event(msg.info(msg.advancePrimaryWeight(this.record.ref, primary)));
      await summarized(quick().setWeights, `Route primary ${primary} / canary ${100 - primary}`, {
        settings: this.settings,
        primary,
        canary: 100 - primary,
      });
      if (primary < 100) {
        this.record.update(canaryWeightSet, 100 - primary);
        await this.record.writeStatus();
      }
    }
    this.record.update(canaryWeightSet, 0);
    this.record.update(phaseSet, 'Finalising');
    await this.record.writeStatus();
  }

  async rollback(decision: Extract<Decision, { kind: 'rollback' }>): Promise<RolloutOutcome> {
    this.record.update(waitingAt, undefined);
    await summarized(quick().setWeights, 'Route primary 100 / canary 0', { settings: this.settings, primary: 100, canary: 0 });
    await summarized(quick().scaleDeployment, `Scale ${this.target.name} to 0`, { ...this.target, replicas: 0 });
    this.record.update(analysisAdvanced, decision.state);
    this.record.update(canaryWeightSet, 0);
    this.record.update(phaseSet, 'Failed');
    await this.record.writeStatus({ analysis: 'completed' }, decision.detail);
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
    const { ref } = this.record;
    await this.record.event(msg.warning(msg.promotionFailed(ref, error)));
    await summarized(quick().setWeights, 'Route primary 0 / canary 100', { settings: this.settings, primary: 0, canary: 100 });
    this.record.update(canaryWeightSet, 100);
    this.record.update(phaseSet, 'Failed');
    await this.record.writeStatus({ analysis: 'completed' }, msg.promotionFailed(ref, error));
    await this.alerts.send(msg.alerts.promotionFailed(error));
    return this.finish('Failed', msg.promotionFailed(ref, error));
  }

  private async finish(outcome: RolloutOutcome, reason?: string): Promise<RolloutOutcome> {
    this.record.update(waitingAt, undefined);
    for (const r of await this.checks.hooks('post-rollout', outcome, false)) {
      await this.record.event(r.ok ? msg.info(msg.postRolloutPassed(r.name)) : msg.warning(msg.postRolloutFailed(r.name, r.error ?? '')));
    }
    const { applied, rolloutStartedAt } = this.record.state;
    const rollout: RolloutRecord = {
      revision: applied?.revision ?? '',
      outcome,
      strategy: this.settings.strategy,
      startedAt: rolloutStartedAt ?? '',
      finishedAt: now(),
      ...(reason !== undefined && { reason }),
    };
    this.record.finished(rollout);
    this.record.update(rolloutFinished, rollout);
    return outcome;
  }
}
