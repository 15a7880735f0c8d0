// The faults, one function each (see fault-rollout.ts for the contract): each makes the rollout's
// change itself and says when each disturbance ended.
import { setTimeout as sleep } from 'node:timers/promises';
import { type Receiver } from '../support/receiver';
import { startPart, stopPart } from '../support/stack-parts';
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
  return Array.from({ length: count }, () => ({ stage: random.int(0, steps + 1), offsetMs: random.int(0, intervalMs - 1) }))
    .sort((a, b) => a.stage - b.stage || a.offsetMs - b.offsetMs);
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
    return { recovered, detail: `kills at ${points.map((p) => `${p.stage}+${p.offsetMs}ms`).join(', ')}` };
  };
}

/** The watcher dies with SIGKILL, the change is made while none runs, then it is started again. */
export const killWatcher: Fault = async (ctx) => {
  const { perch } = ctx.scenario.s;
  await perch.kill('watcher', 'SIGKILL');
  await ctx.change();
  perch.start('watcher');
  return { recovered: [Date.now()] };
};

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

/**
 * Temporal is down when the change is made: it comes back once the watcher has tried to signal the
 * workflow and failed (its log says so), so the change must survive a failed signal.
 */
export const temporalUnreachableAtChange: Fault = async (ctx) => {
  const { s } = ctx.scenario;
  await stopPart('temporal');
  let since = 0;
  try {
    since = await ctx.change();
    const failed = () => s.perch.logRecords(s.canaryId, 'watcher').some((r) => r.ts >= since && r.msg.startsWith('cannot signal'));
    for (const deadline = Date.now() + 60_000; !failed();) {
      if (Date.now() > deadline) throw new Error('the watcher never tried to signal the change while Temporal was down');
      await sleep(200);
    }
  } finally {
    await startPart('temporal');
  }
  return { recovered: [Date.now()], detail: `Temporal down from the change for ${((Date.now() - since) / 1000).toFixed(1)} s` };
};

/** A part of the stack stopped once the canary has `weight`, for `downMs` (0: started again at once). */
export function partDown(part: 'kube-apiserver' | 'prometheus' | 'dataplane', weight: number, downMs: number): Fault {
  return async (ctx) => {
    await ctx.change();
    await ctx.until(`canary weight ${weight}`, (s) => (s.canaryWeight ?? 0) >= weight);
    const down = Date.now();
    await stopPart(part);
    try {
      // The outage itself lasts this long: a fault's length, not a wait for something to happen.
      await sleep(downMs - (Date.now() - down));
    } finally {
      await startPart(part);
    }
    return { recovered: [Date.now()], detail: `${part} down ${((Date.now() - down) / 1000).toFixed(1)} s` };
  };
}

/** How a misbehaving webhook receiver answers. */
export type Misbehaviour = 'hang' | 'huge-body' | 'redirect-loop';

export const TEN_MB = 10 * 1024 * 1024;

/**
 * The receiver at `path` (a rollout hook of the Canary) misbehaves for `count` calls from call
 * number `from` on, then answers 200 again; recovered when the first good answer went out.
 */
export function misbehavingHook(receiver: Receiver, path: string, how: Misbehaviour, from: number, count: number): Fault {
  return async (ctx) => {
    let calls = 0;
    let wellAgain = 0;
    receiver.on(path, (req) => {
      calls++;
      if (calls < from || calls >= from + count) {
        if (calls >= from + count && wellAgain === 0) wellAgain = req.at;
        return { status: 200, body: 'OK' };
      }
      if (how === 'hang') return { status: 200, hang: true };
      if (how === 'huge-body') return { status: 500, body: 'x'.repeat(TEN_MB) };
      return { status: 302, headers: { location: receiver.url(path) } };
    });
    await ctx.change();
    await ctx.until('the promotion', (s) => s.phase === 'Succeeded');
    if (wellAgain === 0) throw new Error(`the hook at ${path} was called ${calls} times; it never misbehaved and recovered`);
    return { recovered: [wellAgain], detail: `${how} for calls ${from}..${from + count - 1} of ${calls}` };
  };
}
