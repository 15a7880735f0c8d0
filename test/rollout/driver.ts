// Test helper: plays the workflow's side of decide()'s protocol for one interval, answering each
// step decide() asks for from a fixed set of answers, and records which steps were asked for.
import {
  type AnalysisConfig,
  type AnalysisState,
  type Decision,
  type HookResult,
  type IntervalInput,
  type Need,
  decide,
} from '../../src/rollout/analysis';
import { type CanaryRef } from '../../src/rollout/names';
import { type MetricVerdict } from '../../src/rollout/verdict';

export type Final = Exclude<Decision, { kind: 'run' }>;

export interface Answers {
  readonly control?: IntervalInput['control'];
  readonly readiness?: IntervalInput['readiness'];
  readonly progressDeadlineExceeded?: string;
  readonly rollbackHooks?: readonly HookResult[];
  readonly preRollout?: readonly HookResult[];
  readonly hooks?: readonly HookResult[];
  readonly metrics?: readonly MetricVerdict[];
  readonly trafficIncrease?: readonly HookResult[];
  readonly promotion?: readonly HookResult[];
}

export interface Interval {
  readonly decision: Final;
  readonly asked: readonly Need[];
}

export const podinfo: CanaryRef = { name: 'podinfo', namespace: 'test', targetName: 'podinfo' };

export function interval(config: AnalysisConfig, state: AnalysisState, answers: Answers = {}): Interval {
  let input: IntervalInput = { control: answers.control, progressDeadlineExceeded: answers.progressDeadlineExceeded };
  const asked: Need[] = [];
  for (let step = 0; step < 10; step++) {
    const decision = decide(config, state, input);
    if (decision.kind !== 'run') return { decision, asked };
    asked.push(decision.need);
    input = answer(input, decision.need, answers);
  }
  throw new Error(`decide() kept asking: ${asked.join(', ')}`);
}

const ready = { ready: true, message: '', deadlineExceeded: false };

function answer(input: IntervalInput, need: Need, a: Answers): IntervalInput {
  switch (need) {
    case 'readiness':
      return { ...input, readiness: a.readiness ?? { canary: ready, primary: ready } };
    case 'rollback-hooks':
      return { ...input, rollbackHooks: a.rollbackHooks ?? [] };
    case 'pre-rollout':
      return { ...input, preRollout: a.preRollout ?? [] };
    case 'analysis':
      return { ...input, analysis: { hooks: a.hooks ?? [], metrics: a.metrics ?? [] } };
    case 'confirm-traffic-increase':
      return { ...input, trafficIncrease: a.trafficIncrease ?? [] };
    case 'confirm-promotion':
      return { ...input, promotion: a.promotion ?? [] };
  }
}

export const messages = (d: Final): string[] => d.events.map((e) => e.message);

export const pass = (name: string): HookResult => ({ name, ok: true });
export const fail = (name: string, error = 'denied', status = 403): HookResult => ({ name, ok: false, error, status });
