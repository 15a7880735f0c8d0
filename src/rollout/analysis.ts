// The per-interval decision of a rollout's analysis: given where the rollout stands and what this
// interval's checks found, what happens next. The workflow calls decide() in a loop; whenever the
// answer is { kind: 'run', need } it runs that step (hooks, metric queries), adds the result to
// the interval's input and asks again, so hooks and gates run only when the decision needs them.
//
// Timing against Flagger (seed: stepWeight 5, maxWeight 50):
// - Flagger spends a whole interval on detection (it only scales the canary up) before the first
//   analysis tick. Perch's workflow starts the analysis as soon as the canary is ready, and the
//   first weight step follows the pre-rollout hooks at once, as in Flagger's first analysis tick.
// - Promotion is decided by the same interval whose analysis at maxWeight passes. Flagger then
//   spends one more interval to route traffic back and another to scale down (Promoting,
//   Finalising); Perch's workflow does those as soon as the primary is ready.
// - A failed check that reaches the threshold rolls back in the same interval; Flagger notices on
//   the next tick.
import { analysisStage, confirmGate, preRolloutStage, rollbackSignal, type StageResult } from './analysis-checks';
import {
  analysing,
  type AnalysisConfig,
  type AnalysisState,
  type Decision,
  type AnalysisGate,
  type IntervalInput,
  type RollbackReason,
  type Routes,
} from './analysis-types';
import * as msg from './messages';
import { type RolloutAlert, type RolloutEvent } from './messages';
import { nextWeight, TOTAL_WEIGHT, weightPlanProblem } from './steps';

export * from './analysis-types';

/** Flagger's default of 1 applies to a missing, zero or negative threshold. */
export function effectiveThreshold(config: AnalysisConfig): number {
  return config.threshold >= 1 ? Math.trunc(config.threshold) : 1;
}

/** Why the config can never reach promotion, or undefined. */
export function planProblem(config: AnalysisConfig): string | undefined {
  if (config.strategy === 'canary') return weightPlanProblem(config.weights);
  return config.iterations >= 1 ? undefined : 'analysis.iterations must be at least 1';
}

type Ctx = { readonly config: AnalysisConfig; readonly input: IntervalInput };

const run = (need: Extract<Decision, { kind: 'run' }>['need']): Decision => ({ kind: 'run', need });

function rollback(
  ctx: Ctx,
  state: AnalysisState,
  reason: RollbackReason,
  leading: readonly RolloutEvent[],
  alerts: readonly RolloutAlert[],
): Decision {
  const ref = ctx.config.canary;
  const detail =
    reason.kind === 'failed-checks'
      ? msg.rollbackDetail(reason.failedChecks, effectiveThreshold(ctx.config), state.lastFailure)
      : reason.kind === 'rollback-webhook'
        ? `rollback webhook ${reason.hook} asked for a rollback`
        : reason.kind === 'aborted'
          ? 'aborted on request'
          : reason.kind === 'progress-deadline'
            ? `canary not ready within progressDeadlineSeconds: ${reason.error}`
            : reason.kind === 'primary-not-ready'
              ? `primary not ready within progressDeadlineSeconds: ${reason.error}`
              : reason.problem;
  return { kind: 'rollback', reason, detail, state, events: [...leading, msg.warning(msg.canaryFailed(ref))], alerts };
}

function thresholdRollback(ctx: Ctx, state: AnalysisState, leading: readonly RolloutEvent[]): Decision {
  const n = state.failedChecks;
  const events = [...leading, msg.warning(msg.rollingBackThreshold(ctx.config.canary, n))];
  return rollback(ctx, state, { kind: 'failed-checks', failedChecks: n }, events, [msg.alerts.thresholdReached(n)]);
}

function failedCheck(ctx: Ctx, state: AnalysisState, stage: StageResult & { failure: string }): Decision {
  const next = { ...state, failedChecks: state.failedChecks + 1, lastFailure: stage.failure };
  if (next.failedChecks >= effectiveThreshold(ctx.config)) return thresholdRollback(ctx, next, stage.events);
  return { kind: 'hold', detail: stage.failure, state: next, events: stage.events, alerts: [] };
}

function advance(state: AnalysisState, events: readonly RolloutEvent[], routes?: Routes): Decision {
  const next = { ...state, phase: 'Progressing', awaitingTrafficIncrease: false } as const;
  return routes === undefined ? { kind: 'advance', state: next, events, alerts: [] } : { kind: 'advance', routes, state: next, events, alerts: [] };
}

/** A refused gate: waiting is announced once, not every interval as Flagger does (#1450). */
function awaiting(
  ctx: Ctx,
  state: AnalysisState,
  gate: AnalysisGate,
  gateEvents: readonly RolloutEvent[],
  waitEvent: RolloutEvent | undefined,
  events: readonly RolloutEvent[],
): Decision {
  const promotion = gate === 'confirm-promotion';
  const entered = promotion ? state.phase !== 'WaitingPromotion' : !state.awaitingTrafficIncrease;
  const next: AnalysisState = promotion ? { ...state, phase: 'WaitingPromotion' } : { ...state, awaitingTrafficIncrease: true };
  const alert = promotion ? msg.alerts.waitingForPromotion() : msg.alerts.waitingForTrafficIncrease();
  return {
    kind: 'await-approval',
    gate,
    entered,
    state: next,
    events: [...events, ...gateEvents, ...(entered && waitEvent !== undefined ? [waitEvent] : [])],
    alerts: entered ? [alert] : [],
  };
}

/**
 * Passes confirm-promotion, then does `then` (promotion, or blue/green's switch to the canary).
 * Flagger also asks confirm-traffic-increase hooks on the promoting interval of the canary
 * strategy, although no traffic increase follows; Perch asks only confirm-promotion there.
 */
function throughPromotionGate(
  ctx: Ctx,
  state: AnalysisState,
  events: readonly RolloutEvent[],
  then: (passed: readonly RolloutEvent[]) => Decision,
): Decision {
  if (ctx.input.promotion === undefined) return run('confirm-promotion');
  const gate = confirmGate(ctx.config.canary, 'confirm-promotion', ctx.input.promotion);
  if (!gate.approved) return awaiting(ctx, state, 'confirm-promotion', gate.events, gate.waitEvent, events);
  return then([...events, ...gate.events]);
}

function promote(ctx: Ctx, state: AnalysisState, events: readonly RolloutEvent[]): Decision {
  const done = [...events, msg.info(msg.copyingSpec(ctx.config.canary))];
  return { kind: 'promote', requested: false, state: { ...state, phase: 'Progressing' }, events: done, alerts: [] };
}

/** The state without a mirror. */
function unmirrored(state: AnalysisState): AnalysisState {
  const { mirrored: _, ...rest } = state;
  return rest;
}

/**
 * With `mirror`, the step from weight 0 is first a mirror step, as in Flagger: the canary gets a copy
 * of the primary's requests for one analysed interval ("Advance ... canary weight 0"), then its
 * first weight. Flagger asks confirm-traffic-increase before the mirror step and not before the
 * first real increase; Perch asks it before every step that gives the canary users' traffic, and
 * not before the mirror step, whose answers no user sees.
 */
function progressCanary(ctx: Ctx, state: AnalysisState, events: readonly RolloutEvent[]): Decision {
  const ref = ctx.config.canary;
  const weight = nextWeight(ctx.config.weights, state.canaryWeight);
  if (weight === undefined) return throughPromotionGate(ctx, state, events, (passed) => promote(ctx, state, passed));
  if (ctx.config.mirror === true && state.canaryWeight === 0 && state.mirrored !== true) {
    return advance({ ...state, mirrored: true }, [...events, msg.info(msg.advanceWeight(ref, 0))], {
      primary: TOTAL_WEIGHT,
      canary: 0,
      mirror: true,
    });
  }
  if (ctx.input.trafficIncrease === undefined) return run('confirm-traffic-increase');
  const gate = confirmGate(ref, 'confirm-traffic-increase', ctx.input.trafficIncrease);
  if (!gate.approved) return awaiting(ctx, state, 'confirm-traffic-increase', gate.events, gate.waitEvent, events);
  return advance({ ...unmirrored(state), canaryWeight: weight }, [...events, ...gate.events, msg.info(msg.advanceWeight(ref, weight))], {
    primary: TOTAL_WEIGHT - weight,
    canary: weight,
  });
}

/** A/B testing: each iteration sends the header-matching requests to the canary. */
function progressAB(ctx: Ctx, state: AnalysisState, events: readonly RolloutEvent[]): Decision {
  const { canary: ref, iterations } = ctx.config;
  if (state.iteration >= iterations) return throughPromotionGate(ctx, state, events, (passed) => promote(ctx, state, passed));
  const iteration = state.iteration + 1;
  return advance({ ...state, iteration }, [...events, msg.info(msg.advanceIteration(ref, iteration, iterations))], {
    primary: 0,
    canary: TOTAL_WEIGHT,
  });
}

/**
 * Blue/green: N iterations with the canary reachable only through its own Service, then (gated by
 * confirm-promotion) all traffic to the canary for one more analysed interval, then promotion.
 */
function progressBlueGreen(ctx: Ctx, state: AnalysisState, events: readonly RolloutEvent[]): Decision {
  const { canary: ref, iterations, mirror } = ctx.config;
  if (state.iteration < iterations) {
    const iteration = state.iteration + 1;
    const announced = [...events, msg.info(msg.advanceIteration(ref, iteration, iterations))];
    // With `mirror`, the canary gets a copy of the primary's requests for all iterations (Flagger).
    if (mirror === true && state.mirrored !== true) {
      return advance({ ...state, iteration, mirrored: true }, announced, { primary: TOTAL_WEIGHT, canary: 0, mirror: true });
    }
    return advance({ ...state, iteration }, announced);
  }
  if (state.iteration > iterations) return throughPromotionGate(ctx, state, events, (passed) => promote(ctx, state, passed));
  const switched = state.mirrored === true ? msg.stopMirroringRouteToCanary() : msg.routingAllToCanary();
  return throughPromotionGate(ctx, state, events, (passed) =>
    advance({ ...unmirrored(state), iteration: iterations + 1, canaryWeight: TOTAL_WEIGHT }, [...passed, msg.info(switched)], {
      primary: 0,
      canary: TOTAL_WEIGHT,
    }),
  );
}

/** Users' signals and conditions that end or freeze the interval before any check runs. */
function interrupt(ctx: Ctx, state: AnalysisState): Decision | undefined {
  const { config, input } = ctx;
  const ref = config.canary;
  if (input.control === 'pause') {
    const events = state.suspended ? [] : [msg.info(msg.suspended())];
    return { kind: 'paused', state: { ...state, suspended: true }, events, alerts: [] };
  }
  const s = { ...state, suspended: false };
  if (input.control === 'abort') return rollback(ctx, s, { kind: 'aborted' }, [msg.warning(msg.rollingBackAborted(ref))], [msg.alerts.aborted()]);
  if (input.control === 'promote') {
    const events = [msg.info(msg.promotionRequested(ref)), msg.info(msg.copyingSpec(ref))];
    return { kind: 'promote', requested: true, state: { ...s, phase: 'Progressing' }, events, alerts: [] };
  }
  const deadline = input.progressDeadlineExceeded;
  if (deadline !== undefined) {
    // Flagger has this text but never reaches it for Deployments: it rolls back silently (#1816).
    return rollback(
      ctx,
      s,
      { kind: 'progress-deadline', error: deadline },
      [msg.warning(msg.rollingBackProgressDeadline(ref, deadline))],
      [msg.alerts.progressDeadline(deadline)],
    );
  }
  const problem = planProblem(config);
  if (problem !== undefined) {
    return rollback(ctx, s, { kind: 'no-plan', problem }, [msg.warning(msg.rollingBackInvalidAnalysis(ref, problem))], []);
  }
  // Reached only when the threshold was lowered under a running analysis: failures that reach
  // the threshold roll back in the interval that counts them.
  if (s.failedChecks >= effectiveThreshold(config)) return thresholdRollback(ctx, s, []);
  return undefined;
}

/**
 * Flagger's per-tick readiness halt: while the primary or the canary is not ready nothing moves and
 * no check counts (a Warning says why each interval); once its progress deadline has passed the
 * rollout is rolled back. The primary is looked at first, as Flagger does.
 */
function readinessHalt(ctx: Ctx, state: AnalysisState, readiness: NonNullable<IntervalInput['readiness']>): Decision | undefined {
  const ref = ctx.config.canary;
  const halts = [
    { report: readiness.primary, text: msg.primaryNotReady(ref, readiness.primary.message), kind: 'primary-not-ready' as const },
    { report: readiness.canary, text: msg.canaryNotReady(ref, readiness.canary.message), kind: 'progress-deadline' as const },
  ];
  for (const { report, text, kind } of halts) {
    if (report.ready) continue;
    if (report.deadlineExceeded) {
      return rollback(
        ctx,
        state,
        { kind, error: text },
        [msg.warning(msg.rollingBackProgressDeadline(ref, text))],
        [msg.alerts.progressDeadline(text)],
      );
    }
    return { kind: 'hold', detail: text, state, events: [msg.warning(text)], alerts: [] };
  }
  return undefined;
}

/** One step of the interval's decision; see the file header for the calling protocol. */
export function decide(config: AnalysisConfig, state: AnalysisState, input: IntervalInput): Decision {
  const ctx: Ctx = { config, input };
  const stop = interrupt(ctx, state);
  if (stop !== undefined) return stop;
  let s: AnalysisState = { ...state, suspended: false };
  const ref = config.canary;
  // A spec that cannot be acted on was reported when it was loaded; the analysis waits for a fix.
  if (input.problem !== undefined) return { kind: 'hold', detail: input.problem, state: s, events: [], alerts: [] };
  if (config.readinessEachInterval === true) {
    if (input.readiness === undefined) return run('readiness');
    const halt = readinessHalt(ctx, s, input.readiness);
    if (halt !== undefined) return halt;
  }
  // skipAnalysis set during the rollout: promote at this interval, as Flagger does at its next tick.
  if (config.skipAnalysis === true) return { kind: 'promote', requested: false, skipped: true, state: s, events: [], alerts: [] };

  if (input.rollbackHooks === undefined) return run('rollback-hooks');
  const signal = rollbackSignal(input.rollbackHooks);
  if (signal !== undefined) {
    // Flagger also records "Rollback hook <name> not signaling a rollback" for every quiet hook on
    // every interval; Perch leaves that noise out of the Events.
    return rollback(
      ctx,
      s,
      { kind: 'rollback-webhook', hook: signal.name },
      [msg.warning(msg.rollbackCheckPassed(signal.name)), msg.warning(msg.rollingBackManualWebhook(ref))],
      [msg.alerts.manualWebhookRollback()],
    );
  }

  let events: readonly RolloutEvent[] = [];
  if (!s.preRolloutPassed) {
    if (input.preRollout === undefined) return run('pre-rollout');
    const stage = preRolloutStage(ref, input.preRollout);
    if (stage.failure !== undefined) return failedCheck(ctx, s, { ...stage, failure: stage.failure });
    events = stage.events;
    s = { ...s, preRolloutPassed: true };
  } else if (analysing(s)) {
    // At weight 0 (a traffic increase still awaiting approval) there is nothing to measure, and
    // querying would only count "no values found" failures against a canary without traffic.
    if (input.analysis === undefined) return run('analysis');
    const stage = analysisStage(ref, input.analysis.hooks, input.analysis.metrics);
    if (stage.failure !== undefined) return failedCheck(ctx, s, { ...stage, failure: stage.failure });
    // No data under `noData: hold`: no failed check, no progress; the next interval measures again.
    if (stage.held !== undefined) return { kind: 'hold', detail: stage.held, state: s, events: stage.events, alerts: [] };
  }

  if (config.strategy === 'ab-testing') return progressAB(ctx, s, events);
  if (config.strategy === 'blue-green') return progressBlueGreen(ctx, s, events);
  return progressCanary(ctx, s, events);
}
