// The faults, one function each (see fault-rollout.ts for the contract): each makes the rollout's
// change itself and says when each disturbance ended.
import { setTimeout as sleep } from 'node:timers/promises';
import { type Receiver } from '../support/receiver';
import { startPart, stopPart } from '../support/stack-parts';
import { eventually } from '../support/stack';
import { type Fault, type FaultContext } from './fault-rollout';
import { type Random } from './prng';

/** A point of a rollout: 0 when it has begun, k for canary weight k x stepWeight, then its promotion. */
export interface KillPoint {
  stage: number;
  /** How long after the stage is reached the worker dies. */
  offsetMs: number;
}

/** `count` kill points for a rollout of `steps` weight steps, in the order a rollout meets them. */
export function killPoints(random: Random, count: number, steps: number, intervalMs: number): KillPoint[] {
  return Array.from({ length: count }, () => ({ stage: random.int(0, steps + 1), offsetMs: random.int(0, intervalMs - 1) })).sort(
    (a, b) => a.stage - b.stage || a.offsetMs - b.offsetMs,
  );
}

/** Waits until the rollout has reached `stage` (see KillPoint). */
function reach(ctx: FaultContext, stage: number): Promise<void> {
  const { stepWeight, maxWeight } = ctx.scenario.analysis;
  const steps = maxWeight / stepWeight;
  if (stage === 0) return ctx.until('the rollout to begin', (s) => s.phase === 'Progressing');
  if (stage <= steps) return ctx.until(`canary weight ${stage * stepWeight}`, (s) => (s.canaryWeight ?? 0) >= stage * stepWeight);
  return ctx.until('the promotion', (s) => ['Promoting', 'Finalising', 'Succeeded'].includes(s.phase ?? ''));
}

/** The worker dies with SIGKILL at each point and is started again at once. */
export function killWorker(points: KillPoint[]): Fault {
  return async (ctx) => {
    const { perch } = ctx.scenario.s;
    await ctx.change();
    const recovered: number[] = [];
    for (const p of points) {
      await reach(ctx, p.stage);
      await sleep(p.offsetMs);
      await perch.kill('worker', 'SIGKILL');
      perch.start('worker');
      recovered.push(Date.now());
    }
    // How much of each recovery was the new process's own start (Node loading its modules, the
    // Temporal connection): the machine's share, apart from what Perch and Temporal took after.
    // A worker killed again before it had started has none ("-").
    const startedSince = (at: number) => perch.logLines('worker').find((l) => l.record?.msg === 'worker started' && l.record.ts >= at)?.record?.ts;
    const last = recovered[recovered.length - 1] ?? 0;
    await eventually('the last worker started', 60_000, () => Promise.resolve(startedSince(last)));
    const startup = recovered.map((at, i) => {
      const ts = startedSince(at);
      return ts === undefined || ts > (recovered[i + 1] ?? Infinity) ? '-' : ((ts - at) / 1000).toFixed(1);
    });
    return {
      recovered,
      detail: `kills at ${points.map((p) => `${p.stage}+${p.offsetMs}ms`).join(', ')}; worker up ${startup.join(', ')} s after each start`,
    };
  };
}

/** Temporal's dev server is stopped and started again once the canary has `weight`. */
export function restartTemporal(weight: number): Fault {
  return async (ctx) => {
    await ctx.change();
    await ctx.until(`canary weight ${weight}`, (s) => (s.canaryWeight ?? 0) >= weight);
    await stopPart('temporal');
    await startPart('temporal');
    return { recovered: [Date.now()] };
  };
}

/** A part of the stack stopped once the canary has `weight`, for `downMs` (0: started again at once). */
export function partDown(part: 'kube-apiserver' | 'prometheus' | 'dataplane', weight: number, downMs: number): Fault {
  return async (ctx) => {
    await ctx.change();
    await ctx.until(`canary weight ${weight}`, (s) => (s.canaryWeight ?? 0) >= weight);
    const down = Date.now();
    await stopPart(part);
    try {
      // The outage itself lasts this long: a fault's length, not a wait for something to happen.
      await sleep(Math.max(0, downMs - (Date.now() - down)));
    } finally {
      await startPart(part);
    }
    return { recovered: [Date.now()], detail: `${part} down ${((Date.now() - down) / 1000).toFixed(1)} s` };
  };
}

/**
 * Temporal's dev server is stopped, the change is made while it is away, and Temporal is started
 * `downMs` after it stopped: the watcher's signal fails and must be retried until delivered.
 */
export function temporalAwayAtChange(downMs: number): Fault {
  return async (ctx) => {
    const down = Date.now();
    await stopPart('temporal');
    try {
      await ctx.change();
      // The outage's length, as in partDown: not a wait for something to happen.
      await sleep(Math.max(0, downMs - (Date.now() - down)));
    } finally {
      await startPart('temporal');
    }
    return { recovered: [Date.now()], detail: `Temporal down ${((Date.now() - down) / 1000).toFixed(1)} s across the change` };
  };
}

/** The watcher dies with SIGKILL once the canary has `weight`, and is started again at once. */
export function killWatcherAt(weight: number): Fault {
  return async (ctx) => {
    const { perch } = ctx.scenario.s;
    await ctx.change();
    await ctx.until(`canary weight ${weight}`, (s) => (s.canaryWeight ?? 0) >= weight);
    await perch.kill('watcher', 'SIGKILL');
    perch.start('watcher');
    return { recovered: [Date.now()], detail: `killed at canary weight >= ${weight}` };
  };
}

/**
 * The watcher dies with SIGKILL, the change is made while it is dead, and it is started again:
 * the change it never saw must be found by its first listing and delivered.
 */
export function killWatcherAtChange(): Fault {
  return async (ctx) => {
    const { perch } = ctx.scenario.s;
    await perch.kill('watcher', 'SIGKILL');
    await ctx.change();
    perch.start('watcher');
    return { recovered: [Date.now()], detail: 'the change made while the watcher was dead' };
  };
}

/**
 * The scenario's own webhook receiver misbehaves from the moment the canary has `weight` until the
 * rollout's end (what it does is `misbehave`'s): the disturbance is the receiver's, so the recovery
 * is counted from when it began to the rollout's next step (for a failing hook: the rollback).
 */
export function hookMisbehaves(receiver: Receiver, weight: number, what: string, misbehave: (r: Receiver) => void): Fault {
  return async (ctx) => {
    await ctx.change();
    await ctx.until(`canary weight ${weight}`, (s) => (s.canaryWeight ?? 0) >= weight);
    misbehave(receiver);
    return { recovered: [Date.now()], detail: `${what} from canary weight ${weight}` };
  };
}
