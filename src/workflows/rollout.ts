// One rollout of a new revision: scale the canary up, analyse it interval by interval, then promote
// it or roll it back. Every decision comes from decide() in src/rollout; this file carries them out.
import { condition, patched } from '@temporalio/workflow';
import { type CanarySettings } from '../api/canary-settings';
import { type AnalysisConfig, analysing, decide, type Decision, type IntervalInput, type Routes } from '../rollout/analysis';
import * as msg from '../rollout/messages';
import { type RolloutEvent } from '../rollout/messages';
import { quick, summarized } from './activities';
import { type Alerts } from './alerts';
import { Checks } from './checks';
import { waitForDeployment } from './deployment-wait';
import { type Inbox } from './inbox';
import { type CarriedRollout, historyIsLong } from './next-run';
import { LIVE_EDITS, READINESS_EACH_INTERVAL } from './patches';
import { now, type CanaryRecord } from './record';
import { RolloutEnding, type RolloutOutcome } from './rollout-ending';
import { syncSpec } from './spec-sync';
import {
  analysisAdvanced,
  analysisRestarted,
  canaryLoaded,
  clockStarted,
  problemFound,
  rolloutStarted,
  type TargetRevision,
  waitingAt,
} from './state';

export { type RolloutOutcome } from './rollout-ending';

/** How a rollout ended: promoted or rolled back, or cut short because the Canary went away. */
export type RolloutEnd = RolloutOutcome | 'gone';

/** What a change notice turned out to mean for the rollout. */
type Seen = 'gone' | 'restarted' | 'same';

export class Rollout {
  private readonly checks: Checks;
  private readonly ending: RolloutEnding;
  /** The canary's readiness error once its progress deadline passed: the next decision's input. */
  private canaryNotReady: string | undefined;

  constructor(
    private readonly record: CanaryRecord,
    private readonly inbox: Inbox,
    private readonly alerts: Alerts,
    /** Continues the rollout in a new run (continue-as-new); never returns. */
    private readonly carryOver: (carried: CarriedRollout) => Promise<never>,
  ) {
    this.checks = new Checks(
      record,
      () => record.state.applied?.revision ?? '',
      () => inbox.takeApproval(),
    );
    this.ending = new RolloutEnding(record, alerts, this.checks);
  }

  private get settings(): CanarySettings {
    return this.record.settings;
  }

  /** Rolls `target` out from the start, or (without one) goes on with the rollout the state carries. */
  async run(target?: TargetRevision): Promise<RolloutEnd> {
    if (target !== undefined) {
      const ended = await this.begin(target);
      if (ended !== undefined) return ended;
    } else if ((await this.nextInterval()) === 'gone') {
      return 'gone';
    }
    for (;;) {
      const started = Date.now();
      const decision = await this.decideInterval();
      await this.record.events(decision.events);
      switch (decision.kind) {
        case 'rollback':
          return this.ending.rollback(decision);
        case 'promote': {
          const ended = await this.promote(decision.skipped === true);
          if (ended !== undefined) return ended;
          continue;
        }
        case 'paused':
          this.record.update(analysisAdvanced, decision.state);
          if ((await this.waitWhilePaused()) === 'gone') return 'gone';
          continue;
        case 'advance':
          this.record.update(analysisAdvanced, decision.state);
          this.record.update(waitingAt, undefined);
          if (decision.routes) await this.route(decision.routes);
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
      if ((await this.nextInterval()) === 'gone') return 'gone';
    }
  }

  /** Starts the rollout of `target`; answers its end when skipAnalysis promoted it at once. */
  private async begin(target: TargetRevision): Promise<RolloutEnd | undefined> {
    // An abort or promote sent while no rollout ran has nothing to act on.
    this.inbox.dropStaleRequests();
    this.record.update(rolloutStarted, target, now());
    await this.record.event(msg.info(msg.newRevision(this.record.ref)));
    await this.record.writeStatus();
    await this.alerts.send(msg.alerts.newRevision());
    await this.scaleUpCanary();
    return this.settings.skipAnalysis && this.canaryNotReady === undefined ? this.promote(true) : undefined;
  }

  /** Promotes; answers the outcome, or undefined when the target moved under the promotion. */
  private async promote(skipped: boolean): Promise<RolloutEnd | undefined> {
    const end = await this.ending.promote(skipped);
    if (end.kind === 'ended') return end.outcome;
    // The primary got nothing: the new revision is analysed from the start.
    await this.restart(end.found, msg.info(msg.restartingAnalysis(this.record.ref)));
    return undefined;
  }

  /** Holds while paused or suspended; intervals count again from the resume. */
  private async waitWhilePaused(): Promise<'gone' | undefined> {
    await condition(() => !this.frozen || this.inbox.hasNews);
    // A change notice while paused is looked at (a new revision restarts, still paused) and
    // taken, so the wait above holds again.
    if (this.inbox.hasChange && (await this.lookAgain()) === 'gone') return 'gone';
    if (!this.frozen) this.record.update(clockStarted, Date.now());
    return undefined;
  }

  private async route({ primary, canary, mirror }: Routes): Promise<void> {
    const summary = `Route primary ${primary} / canary ${canary}${mirror ? ', mirrored to the canary' : ''}`;
    await summarized(quick().setWeights, summary, { settings: this.settings, primary, canary, ...(mirror && { mirror }) });
  }

  /** Paused by signal, or suspended by the Canary's spec: no weight moves and no check counts. */
  private get frozen(): boolean {
    return this.record.state.paused || this.settings.suspend;
  }

  /** The analysis's settings as the Canary's spec has them now: an edit applies from the next interval. */
  private config(): AnalysisConfig {
    const { analysis: a, strategy, skipAnalysis } = this.settings;
    return {
      canary: this.record.ref,
      strategy,
      skipAnalysis,
      weights: { stepWeight: a.stepWeight, stepWeights: a.stepWeights, maxWeight: a.maxWeight },
      iterations: a.iterations,
      threshold: a.threshold,
      mirror: a.mirror,
      readinessEachInterval: patched(READINESS_EACH_INTERVAL),
    };
  }

  /** Begins the next interval (in a new run when history has grown long) and waits for its tick. */
  private async nextInterval(): Promise<Seen | undefined> {
    if (historyIsLong()) await this.carryOver({ state: this.record.state, changed: this.inbox.hasChange });
    // The interval's rollout hooks (the load test) run once traffic reaches the canary, mirrored or not.
    if (analysing(this.record.state.analysis)) await this.checks.beginInterval('Progressing');
    return this.waitForTick();
  }

  /**
   * Waits for the next tick of the analysis's clock: interval k is due at k intervals after the
   * clock started, however long each took, so the period does not drift. Abort, promote and approve
   * cut the wait short; a change notice does only when it restarts the analysis or ends the rollout.
   */
  private async waitForTick(): Promise<Seen | undefined> {
    const due = this.nextTick();
    for (;;) {
      const left = due - Date.now();
      if (left <= 0 || !(await condition(() => this.inbox.hasNews, left))) return undefined;
      if (!this.inbox.hasChange) return undefined;
      const seen = await this.lookAgain();
      if (seen !== 'same') return seen;
    }
  }

  private nextTick(): number {
    const interval = this.settings.analysis.intervalMs;
    const { clock } = this.record.state;
    if (clock === undefined) return Date.now() + interval;
    return clock + (Math.floor((Date.now() - clock) / interval) + 1) * interval;
  }

  /** Asks decide() until it decides, running each check it needs on the way. */
  private async decideInterval(): Promise<Exclude<Decision, { kind: 'run' }>> {
    const progressDeadlineExceeded = this.canaryNotReady;
    this.canaryNotReady = undefined;
    const control = this.inbox.takeCommand() ?? (this.frozen ? 'pause' : undefined);
    const { problem } = this.record.state;
    let input: IntervalInput = { control, progressDeadlineExceeded, ...(problem !== undefined && { problem }) };
    const config = this.config();
    for (;;) {
      const d = decide(config, this.record.state.analysis, input);
      if (d.kind !== 'run') return d;
      input = { ...input, ...(await this.checks.run(d.need, 'Progressing')) };
    }
  }

  /** Scales the canary up and waits for it, noting its readiness error once the deadline passed. */
  private async scaleUpCanary(): Promise<void> {
    const { settings } = this;
    const name = settings.targetRef.name;
    const replicas = await quick().canaryReplicas({ settings });
    await summarized(quick().scaleDeployment, `Scale ${name} to ${replicas}`, { namespace: settings.namespace, name, replicas });
    const waited = await waitForDeployment(this.record, name, settings.analysis.canaryReadyThreshold);
    this.canaryNotReady = waited === undefined ? undefined : msg.canaryNotReady(this.record.ref, waited);
    this.record.update(clockStarted, Date.now());
  }

  /** The analysis starts over for `target`: all traffic back on the primary, the canary scaled up. */
  private async restart(target: TargetRevision, why: RolloutEvent): Promise<void> {
    this.record.update(analysisRestarted, target);
    await this.record.event(why);
    await quick().setWeights({ settings: this.settings, primary: 100, canary: 0 });
    await this.record.writeStatus();
    await this.scaleUpCanary();
  }

  /** A change notice came: the Canary's spec (from the next interval) and its target's revision. */
  private async lookAgain(): Promise<Seen> {
    this.inbox.takeChange();
    if (patched(LIVE_EDITS)) {
      const reloaded = await this.reloadCanary();
      if (reloaded !== 'same') return reloaded;
    }
    const { settings } = this;
    const t = await quick().inspectTarget({ namespace: settings.namespace, name: settings.targetRef.name });
    if (!t.exists || t.revision === this.record.state.applied?.revision) return 'same';
    await this.restart({ revision: t.revision, trackedConfigs: t.trackedConfigs }, msg.info(msg.restartingAnalysis(this.record.ref)));
    return 'restarted';
  }

  /**
   * Reads the Canary again. Gone (or being deleted): the rollout ends here. Invalid: said once, and
   * the analysis holds until it is fixed. Edited: the new spec drives the next interval; the
   * Services and the HTTPProxy follow it now, and a new strategy starts the analysis over.
   */
  private async reloadCanary(): Promise<Seen> {
    const { namespace, name } = this.record.ref;
    const loaded = await quick().loadCanary({ namespace, name });
    if (loaded.kind === 'missing' || (loaded.kind === 'ok' && loaded.deleting)) return 'gone';
    const before = this.settings;
    if (loaded.kind === 'invalid') {
      const problem = `Canary is invalid: ${loaded.problems.join('; ')}`;
      const known = this.record.state.problem === problem;
      this.record.update(canaryLoaded, { canary: this.record.ref, status: loaded.status, generation: loaded.generation });
      this.record.update(problemFound, problem);
      if (!known) {
        await this.record.event(msg.warning(`${problem}; the analysis holds until it is fixed`));
        await this.record.writeStatus();
      }
      return 'same';
    }
    const { settings } = loaded;
    const edited = loaded.generation !== loaded.status.observedGeneration;
    this.record.update(canaryLoaded, { canary: this.record.ref, uid: loaded.uid, status: loaded.status, settings, generation: loaded.generation });
    this.record.update(problemFound, undefined);
    if (!edited) return 'same';
    await syncSpec(this.record);
    if (settings.analysis.intervalMs !== before.analysis.intervalMs) this.record.update(clockStarted, Date.now());
    if (settings.strategy === before.strategy) return 'same';
    const applied = this.record.state.applied;
    if (applied === undefined) return 'same';
    await this.restart(applied, msg.info(msg.strategyChanged(this.record.ref, settings.strategy)));
    return 'restarted';
  }
}
