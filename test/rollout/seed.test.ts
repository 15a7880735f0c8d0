// The seed walkthrough (shared/reference/seed-contour-canary.md) replayed through the pure rollout
// logic: its Canary (stepWeight 5, maxWeight 50, threshold 5, acceptance-test pre-rollout hook,
// load-test rollout hook, success rate >= 99%, p99 <= 500ms) must yield the events users see.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AnalysisConfig, type AnalysisState, initialAnalysisState } from '../../src/rollout/analysis';
import { builtinQuery } from '../../src/rollout/builtin-metrics';
import * as msg from '../../src/rollout/messages';
import { promotionPlan } from '../../src/rollout/steps';
import { evaluateMetric, type MetricVerdict } from '../../src/rollout/verdict';
import { type Answers, type Final, interval, messages, pass, podinfo } from './driver';

const config: AnalysisConfig = { canary: podinfo, strategy: 'canary', weights: { stepWeight: 5, maxWeight: 50 }, iterations: 0, threshold: 5 };
const model = { namespace: 'test', service: 'podinfo' };

function verdicts(successRate: number, p99Ms: number): MetricVerdict[] {
  return [
    evaluateMetric(
      {
        name: 'request-success-rate',
        source: 'builtin',
        thresholdRange: { min: 99 },
        query: builtinQuery('request-success-rate', { ...model, interval: '1m' }),
      },
      { value: successRate },
      { canary: podinfo },
    ),
    evaluateMetric(
      {
        name: 'request-duration',
        source: 'builtin',
        thresholdRange: { max: 500 },
        query: builtinQuery('request-duration', { ...model, interval: '30s' }),
      },
      { value: p99Ms },
      { canary: podinfo },
    ),
  ];
}

/** Plays intervals until a terminal decision, feeding each interval the next measurements. */
function run(measure: (n: number) => MetricVerdict[]): { events: string[]; last: Final; intervals: number; analysed: number } {
  const events: string[] = [];
  let state: AnalysisState = initialAnalysisState;
  let analysed = 0;
  for (let n = 1; n <= 40; n++) {
    const answers: Answers = { preRollout: [pass('acceptance-test')], hooks: [pass('load-test')], metrics: measure(n) };
    const { decision, asked } = interval(config, state, answers);
    if (asked.includes('analysis')) analysed++;
    events.push(...messages(decision));
    if (decision.kind === 'promote' || decision.kind === 'rollback') return { events, last: decision, intervals: n, analysed };
    state = decision.state;
  }
  throw new Error('the rollout never ended');
}

/** The seed's "Automated canary promotion" transcript, in order. */
const seedPromotion = [
  'New revision detected! Scaling up podinfo.test',
  'Waiting for podinfo.test rollout to finish: 0 of 1 updated replicas are available',
  'Pre-rollout check acceptance-test passed',
  ...[5, 10, 15, 20, 25, 30, 35, 40, 45, 50].map((w) => `Advance podinfo.test canary weight ${w}`),
  'Copying podinfo.test template spec to podinfo-primary.test',
  'Waiting for podinfo-primary.test rollout to finish: 1 of 2 updated replicas are available',
  'Routing all traffic to primary',
  'Promotion completed! Scaling down podinfo.test',
];

describe('seed: automated canary promotion', () => {
  const result = run(() => verdicts(100, 120));

  it('advances 5..50 and promotes in the interval whose analysis at 50% passes', () => {
    assert.deepEqual(result.events, [
      'Starting canary analysis for podinfo.test',
      'Pre-rollout check acceptance-test passed',
      ...[5, 10, 15, 20, 25, 30, 35, 40, 45, 50].map((w) => `Advance podinfo.test canary weight ${w}`),
      'Copying podinfo.test template spec to podinfo-primary.test',
    ]);
    assert.equal(result.last.kind, 'promote');
    assert.equal(result.intervals, 11, 'pre-rollout interval + 10 analysed intervals');
    assert.equal(result.analysed, 10, 'metrics judged at 5%, 10%, ... 50%');
  });

  it('with the workflow around it, tells the seed transcript line for line', () => {
    const promotion = promotionPlan(result.last.state.canaryWeight).map((primary) =>
      primary === 100 ? msg.routingAllToPrimary() : msg.advancePrimaryWeight(podinfo, primary),
    );
    const perch = [msg.newRevision(podinfo), ...result.events, ...promotion, msg.promotionCompleted(podinfo)];
    // Readiness waits depend on pods, not on the analysis; "Starting canary analysis" is newer
    // than the transcript (current Flagger emits it too).
    const seedWithoutWaits = seedPromotion.filter((line) => !line.startsWith('Waiting for'));
    assert.deepEqual(
      perch.filter((line) => !line.startsWith('Starting canary analysis')),
      seedWithoutWaits,
    );
  });
});

describe('seed: automated rollback', () => {
  // Weights 5, 10 and 15 pass; then the canary answers with 500s and latency, five intervals in a row.
  const measurements: Array<[number, number]> = [
    [69.1666, 110],
    [61.3912, 130],
    [55.0649, 140],
    [99.9, 1200.4],
    [99.8, 1450.9],
  ];
  const result = run((n) => {
    const bad = measurements[n - 4];
    return n <= 3 || bad === undefined ? verdicts(100, 120) : verdicts(bad[0], bad[1]);
  });

  it('halts five times and rolls back in the fifth failing interval', () => {
    assert.deepEqual(result.events, [
      'Starting canary analysis for podinfo.test',
      'Pre-rollout check acceptance-test passed',
      'Advance podinfo.test canary weight 5',
      'Advance podinfo.test canary weight 10',
      'Advance podinfo.test canary weight 15',
      'Halt podinfo.test advancement success rate 69.17% < 99%',
      'Halt podinfo.test advancement success rate 61.39% < 99%',
      'Halt podinfo.test advancement success rate 55.06% < 99%',
      // The transcript shows "1.20s" and "1.45s" from an older Flagger; current Flagger prints a
      // Go time.Duration of the whole milliseconds, as here.
      'Halt podinfo.test advancement request duration 1.2s > 500ms',
      'Halt podinfo.test advancement request duration 1.45s > 500ms',
      'Rolling back podinfo.test failed checks threshold reached 5',
      'Canary failed! Scaling down podinfo.test',
    ]);
    assert.equal(result.intervals, 8, '3 good intervals, then 5 failing ones');
  });

  it('ends with the seed rollback lines and explains them', () => {
    assert.ok(result.last.kind === 'rollback');
    assert.deepEqual(result.last.reason, { kind: 'failed-checks', failedChecks: 5 });
    assert.deepEqual(result.events.slice(-2), [
      'Rolling back podinfo.test failed checks threshold reached 5',
      'Canary failed! Scaling down podinfo.test',
    ]);
    assert.deepEqual(result.last.alerts, [{ severity: 'error', message: 'Failed checks threshold reached 5' }]);
    assert.equal(result.last.state.canaryWeight, 15);
    assert.match(
      result.last.detail,
      /^5 of 5 allowed failed checks; last failure: request-duration measured 1\.45s \(raw 1450\.9\), above the maximum 500ms/,
    );
    assert.match(result.last.detail, /histogram_quantile\(0\.99/);
  });
});
