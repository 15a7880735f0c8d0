// The traffic plan of a rollout: which canary weights (canary strategy) or how many iterations
// (A/B testing, blue/green) the analysis walks through, and how traffic returns to the primary.
// Everything works from the *current* weight rather than a step index, so a plan stays correct
// when the router's weights or the Canary's spec change under a running analysis.

export const TOTAL_WEIGHT = 100;

export type { Strategy } from './strategy';

export interface WeightSpec {
  readonly stepWeight?: number;
  readonly stepWeights?: readonly number[];
  readonly maxWeight?: number;
}

/** stepWeight wins over stepWeights whenever it is positive, as in Flagger. */
function usesLadder(spec: WeightSpec): boolean {
  return !((spec.stepWeight ?? 0) > 0) && (spec.stepWeights?.length ?? 0) > 0;
}

/**
 * The ladder as Perch walks it: positive weights, capped at 100, sorted, without repeats. Flagger
 * walks the list as written and stalls for good on a repeated or decreasing element (its next step
 * becomes zero or negative); sorting gives the same walk for every well-formed ladder.
 */
function ladder(spec: WeightSpec): number[] {
  const weights = (spec.stepWeights ?? []).filter((w) => Number.isFinite(w) && w > 0).map((w) => Math.min(TOTAL_WEIGHT, Math.trunc(w)));
  return [...new Set(weights)].sort((a, b) => a - b);
}

/**
 * The weight at which analysis ends and promotion starts. With stepWeights it is the top of the
 * ladder (Flagger: the last element, which is the same for a sorted ladder) and spec.maxWeight is
 * ignored, as in Flagger. Capped at 100: Flagger accepts maxWeight > 100 and then re-advances to
 * 100 every interval without ever promoting.
 */
export function maxWeightOf(spec: WeightSpec): number {
  if (usesLadder(spec)) return ladder(spec).at(-1) ?? TOTAL_WEIGHT;
  const max = spec.maxWeight ?? 0;
  return max > 0 ? Math.min(TOTAL_WEIGHT, max) : TOTAL_WEIGHT;
}

/**
 * The canary weight after `current`, or undefined when `current` has reached maxWeight (time to
 * promote) or the spec has no usable step (Flagger then idles at weight 0 forever).
 *
 * With stepWeight the next weight is current + stepWeight capped at 100, so like Flagger the last
 * step overshoots a maxWeight that is not a multiple of stepWeight: stepWeight 20 / maxWeight 50
 * walks 20, 40, 60 and promotes from 60. Perch keeps this on purpose: users size their plans
 * (and `kubectl get canary` expectations) by it.
 */
export function nextWeight(spec: WeightSpec, current: number): number | undefined {
  const max = maxWeightOf(spec);
  if (current >= max) return undefined;
  if (usesLadder(spec)) return ladder(spec).find((w) => w > current);
  const step = Math.trunc(spec.stepWeight ?? 0);
  if (step <= 0) return undefined;
  return Math.min(TOTAL_WEIGHT, current + step);
}

/** Every canary weight the analysis will route, in order, starting from no traffic. */
export function weightPlan(spec: WeightSpec): number[] {
  const plan: number[] = [];
  for (let w = nextWeight(spec, 0); w !== undefined; w = nextWeight(spec, w)) plan.push(w);
  return plan;
}

/** Why a canary-strategy spec cannot make progress, or undefined when it can. */
export function weightPlanProblem(spec: WeightSpec): string | undefined {
  if (weightPlan(spec).length > 0) return undefined;
  if (usesLadder(spec)) return 'analysis.stepWeights has no weight above 0';
  return 'analysis needs a positive stepWeight, a stepWeights list, or iterations';
}

/** The iterations A/B testing and blue/green announce: 1..N ("iteration k/N"). */
export function iterationPlan(iterations: number): number[] {
  const n = Math.max(0, Math.trunc(iterations));
  return Array.from({ length: n }, (_, i) => i + 1);
}

/**
 * Primary weights while traffic returns to the primary after the primary has been updated.
 * stepWeightPromotion 0 (the default) returns everything in one move; otherwise the primary gains
 * stepWeightPromotion per step from wherever the canary left it, capped at 100.
 */
export function promotionPlan(canaryWeight: number, stepWeightPromotion = 0): number[] {
  const step = Math.trunc(stepWeightPromotion);
  let primary = TOTAL_WEIGHT - Math.min(TOTAL_WEIGHT, Math.max(0, canaryWeight));
  if (step <= 0 || primary >= TOTAL_WEIGHT) return [TOTAL_WEIGHT];
  const plan: number[] = [];
  while (primary < TOTAL_WEIGHT) {
    primary = Math.min(TOTAL_WEIGHT, primary + step);
    plan.push(primary);
  }
  return plan;
}
