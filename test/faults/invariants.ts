// What every rollout under a fault must still satisfy, checked by one function for every fault:
//   - the right outcome (every fault here is survivable, so: promoted) and the primary's image;
//   - each step's Event once in this rollout (counted on the Event, as `kubectl describe` shows it);
//   - the HTTPProxy is written once per step and once at the end (canary weights stepWeight ...
//     maxWeight, then 0): no write repeated or missed, the weight never moving backwards;
//   - the primary never receives a revision that was not analysed (the canary reached maxWeight
//     under that revision before the primary took it);
//   - no change lost: the revision last set is the one the Canary ends on;
//   - no hot loop: the workflow's history and the Canary's Events stay still for 3 intervals after the end.
// A fault that makes the canary itself fail (a webhook that hangs or redirects forever) is judged by
// the rollback's invariants instead (assertRolledBack): Failed, the primary untouched, the weights
// stepping up then back to 0 once, the rollback's Events once, and the same quiet end.
import assert from 'node:assert/strict';
import { type WorkflowExecutionDescription } from '@temporalio/client';
import { type Canary } from '../../src/api/canary';
import * as msg from '../../src/rollout/messages';
import { preRolloutPassed } from '../../src/rollout/hook-messages';
import { type CanaryRef } from '../../src/rollout/names';
import { type RolloutObserver } from './observer';

/** One rollout as the suite drove it. */
export interface RolloutRun {
  ref: CanaryRef;
  /** The image set for this rollout, and the one the primary ran before it. */
  image: string;
  previousImage: string;
  /** When the change was made and when the outcome was seen. */
  since: number;
  ended: number;
  /**
   * After the outcome, when the HTTPProxy's and the primary's watches had caught up with the
   * apiserver: the writes of the rollout are those seen in [since, settled].
   */
  settled: number;
  /** Every Event's count before the change. */
  eventsBefore: Map<string, number>;
  /** lastAppliedSpec before the change. */
  revisionBefore: string | undefined;
}

/**
 * What the checker needs from the scenario. Its reads ride out outages: the shared parts' faults
 * of another Canary's rollout may have Temporal or the apiserver away while this one is judged.
 */
export interface Subject {
  observer: RolloutObserver;
  /** The workflow's current run and history length. */
  describe(): Promise<WorkflowExecutionDescription>;
  canary(): Promise<Canary>;
  primaryImage(): Promise<string | undefined>;
  /** Every Event's count for the Canary. */
  eventCounts(): Promise<Map<string, number>>;
  analysis: { intervalMs: number; stepWeight: number; maxWeight: number; threshold: number; preRolloutHooks: string[] };
}

/** The canary weights a promoted rollout steps through: stepWeight, 2 x stepWeight, ... maxWeight. */
export function stepWeights(analysis: Subject['analysis']): number[] {
  const weights: number[] = [];
  for (let w = analysis.stepWeight; w <= analysis.maxWeight; w += analysis.stepWeight) weights.push(w);
  return weights;
}

/** The Events a promoted rollout writes once each. */
export function stepEvents(ref: CanaryRef, analysis: Subject['analysis']): string[] {
  const weights = stepWeights(analysis);
  return [
    msg.newRevision(ref),
    ...analysis.preRolloutHooks.map(preRolloutPassed),
    ...weights.map((w) => msg.advanceWeight(ref, w)),
    msg.copyingSpec(ref),
    msg.routingAllToPrimary(),
    msg.promotionCompleted(ref),
  ];
}

export async function assertInvariants(subject: Subject, run: RolloutRun): Promise<void> {
  const canary = await subject.canary();
  const status = canary.status ?? {};
  // The outcome and the primary's image: every fault here passes, so the new revision is promoted.
  assert.equal(status.phase, 'Succeeded', `outcome of the rollout of ${run.image}`);
  assert.equal(await subject.primaryImage(), run.image, 'the primary runs the new image');

  // Each step's Event once in this rollout.
  const after = await subject.eventCounts();
  const counted = stepEvents(run.ref, subject.analysis).map((text) => [text, (after.get(text) ?? 0) - (run.eventsBefore.get(text) ?? 0)] as const);
  const wrong = counted.filter(([, n]) => n !== 1);
  assert.deepEqual(
    wrong,
    [],
    `each step's Event once in this rollout; [text, times] not once:\n${wrong.map(([t, n]) => `  ${n} x ${t}`).join('\n')}`,
  );

  // The HTTPProxy written once per step, in order, then back to the primary once: no write repeated,
  // none missed, the weight never moving backwards.
  const weights = subject.observer.canaryWeights(run.since, run.settled).map((w) => w.object);
  assert.deepEqual(weights, [...stepWeights(subject.analysis), 0], 'the canary weight of each HTTPProxy write in this rollout');

  // The primary only ever takes a revision analysed up to maxWeight.
  for (const change of subject.observer.primaryImages(run.since, run.settled)) {
    if (change.object === run.previousImage) continue;
    assert.equal(change.object, run.image, `the primary took ${change.object}, which was never rolled out`);
    const reached = Math.max(0, ...subject.observer.canaryWeights(run.since, change.at).map((w) => w.object));
    assert.equal(reached, subject.analysis.maxWeight, `the primary took ${change.object} after the canary reached only ${reached}%`);
  }
  assert.equal(subject.observer.gaps(), 0, 'no spec write of the HTTPProxy or the primary went unseen by the watches');

  // No change lost: the revision set last is the one the Canary settled on.
  assert.notEqual(status.lastAppliedSpec, run.revisionBefore, 'the change was taken up');
  assert.equal(status.lastPromotedSpec, status.lastAppliedSpec, 'the revision set last was promoted');

  await assertQuiet(subject);
}

/**
 * A rollout the canary's checks failed: rolled back at the threshold, as Flagger does. The Events
 * of the steps reached and of the rollback once each; the HTTPProxy written once per step reached,
 * then back to the primary once; the primary never given the new image; the change taken up but
 * not promoted; and a quiet end.
 */
export async function assertRolledBack(subject: Subject, run: RolloutRun): Promise<void> {
  const canary = await subject.canary();
  const status = canary.status ?? {};
  assert.equal(status.phase, 'Failed', `outcome of the rollout of ${run.image}`);
  assert.equal(await subject.primaryImage(), run.previousImage, 'the primary still runs the previous image');

  const weights = subject.observer.canaryWeights(run.since, run.settled).map((w) => w.object);
  const reached = weights.slice(0, -1);
  const steps = stepWeights(subject.analysis).slice(0, reached.length);
  assert.deepEqual(weights, [...steps, 0], 'the canary weight of each HTTPProxy write: the steps reached, then 0 once');

  const after = await subject.eventCounts();
  const expected = [
    msg.newRevision(run.ref),
    ...subject.analysis.preRolloutHooks.map(preRolloutPassed),
    ...steps.map((w) => msg.advanceWeight(run.ref, w)),
    msg.rollingBackThreshold(run.ref, subject.analysis.threshold),
    msg.canaryFailed(run.ref),
  ];
  const counted = expected.map((text) => [text, (after.get(text) ?? 0) - (run.eventsBefore.get(text) ?? 0)] as const);
  const wrong = counted.filter(([, n]) => n !== 1);
  assert.deepEqual(
    wrong,
    [],
    `each step's and the rollback's Event once in this rollout; [text, times] not once:\n${wrong.map(([t, n]) => `  ${n} x ${t}`).join('\n')}`,
  );

  for (const change of subject.observer.primaryImages(run.since, run.settled)) {
    assert.equal(change.object, run.previousImage, `the primary took ${change.object} from a rollout that failed`);
  }
  assert.equal(subject.observer.gaps(), 0, 'no spec write of the HTTPProxy or the primary went unseen by the watches');
  assert.notEqual(status.lastAppliedSpec, run.revisionBefore, 'the change was taken up');
  assert.notEqual(status.lastPromotedSpec, status.lastAppliedSpec, 'the failed revision was not promoted');

  await assertQuiet(subject);
}

interface Tick {
  at: number;
  runId: string;
  historyLength: number;
  events: string;
}

const TICK_MS = 1000;

/**
 * Waits until the workflow's run, its history length and the Canary's Events stayed the same over
 * 3 analysis intervals, sampled once a second; fails when that has not happened 60 s after 3 intervals.
 */
async function assertQuiet(subject: Subject): Promise<void> {
  const span = 3 * subject.analysis.intervalMs;
  const deadline = Date.now() + span + 60_000;
  const sample = async (): Promise<Tick> => {
    const d = await subject.describe();
    const events = await subject.eventCounts();
    return { at: Date.now(), runId: d.runId, historyLength: d.historyLength, events: JSON.stringify([...events].sort()) };
  };
  let first = await sample();
  let last = first;
  while (last.at - first.at < span) {
    if (Date.now() > deadline) {
      throw new Error(`hot loop: the workflow or the Events did not stay still for 3 intervals; last: ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
    const tick = await sample();
    if (tick.runId !== last.runId || tick.historyLength !== last.historyLength || tick.events !== last.events) first = tick;
    last = tick;
  }
}
