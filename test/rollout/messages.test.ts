// Every text checked verbatim: these strings are a compatibility surface (§3 of the reference).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as m from '../../src/rollout/messages';
import { podinfo as ref } from './driver';

/** A Canary named differently from its target shows which id each text uses. */
const web: m.CanaryRef = { name: 'web', namespace: 'prod', targetName: 'podinfo' };

describe('ids', () => {
  it('name canary, target and primary', () => {
    assert.equal(m.canaryId(web), 'web.prod');
    assert.equal(m.targetId(web), 'podinfo.prod');
    assert.equal(m.primaryId(web), 'podinfo-primary.prod');
  });
});

describe('events', () => {
  it('have levels that map to Kubernetes event types', () => {
    assert.deepEqual(m.info('x'), { level: 'info', message: 'x' });
    assert.deepEqual(m.warning('x'), { level: 'warning', message: 'x' });
    assert.deepEqual(m.error('x'), { level: 'error', message: 'x' });
    assert.equal(m.eventType('info'), 'Normal');
    assert.equal(m.eventType('warning'), 'Warning');
    assert.equal(m.eventType('error'), 'Warning');
  });
});

describe('lifecycle texts', () => {
  const cases: Array<[string, string]> = [
    [m.suspended(), 'skipping canary run as object is suspended'],
    [m.metricProvidersAvailable(), 'all the metrics providers are available!'],
    [m.metricProvidersError('prometheus not avaiable: x'), 'Error checking metric providers: prometheus not avaiable: x'],
    [m.initialized(ref), 'Initialization done! podinfo.test'],
    [m.initialized(web), 'Initialization done! web.prod'],
    [m.newRevision(ref), 'New revision detected! Scaling up podinfo.test'],
    [m.newRevision(web), 'New revision detected! Scaling up podinfo.prod'],
    [m.restartingAnalysis(web), 'New revision detected! Restarting analysis for podinfo.prod'],
    [m.startingAnalysis(web), 'Starting canary analysis for podinfo.prod'],
    [m.terminating(web), 'Terminating canary web.prod'],
    [m.terminated(web), 'Terminated canary web.prod'],
    [m.scalingDown('Deployment', ref), 'Scaling down Deployment podinfo.test'],
    [m.scaleDownFailed('Deployment', ref, 'boom'), 'scaling down canary Deployment podinfo.test failed: boom'],
    [m.duplicateTarget(ref), 'Bad things will happen! Found more than one canary with the same target podinfo.test'],
  ];
  for (const [got, want] of cases) it(want, () => assert.equal(got, want));
});

describe('traffic and promotion texts', () => {
  const cases: Array<[string, string]> = [
    [m.advanceWeight(ref, 5), 'Advance podinfo.test canary weight 5'],
    [m.advanceWeight(web, 50), 'Advance web.prod canary weight 50'],
    [m.advanceIteration(ref, 1, 10), 'Advance podinfo.test canary iteration 1/10'],
    [m.advancePrimaryWeight(web, 70), 'Advance web.prod primary weight 70'],
    [m.routingAllToCanary(), 'Routing all traffic to canary'],
    [m.stopMirroringRouteToCanary(), 'Stop traffic mirroring and route all traffic to canary'],
    [m.routingAllToPrimary(), 'Routing all traffic to primary'],
    [m.copyingSpec(ref), 'Copying podinfo.test template spec to podinfo-primary.test'],
    [m.copyingSpec(web), 'Copying podinfo.prod template spec to podinfo-primary.prod'],
    [m.promotionCompleted(web), 'Promotion completed! Scaling down podinfo.prod'],
    [m.promotionSkippedAnalysis(ref), 'Promotion completed! Canary analysis was skipped for podinfo.test'],
    [m.promotionFailed(ref, 'x'), 'Promotion of podinfo.test failed, primary not ready: x'],
    [m.promotionRequested(web), 'Promotion of web.prod requested, skipping the remaining analysis'],
  ];
  for (const [got, want] of cases) it(want, () => assert.equal(got, want));
});

describe('rollback texts', () => {
  const cases: Array<[string, string]> = [
    [m.rollingBackThreshold(ref, 5), 'Rolling back podinfo.test failed checks threshold reached 5'],
    [m.rollingBackThreshold(web, 1), 'Rolling back web.prod failed checks threshold reached 1'],
    [m.rollingBackManualWebhook(ref), 'Rolling back podinfo.test manual webhook invoked'],
    [m.rollingBackProgressDeadline(ref, 'e'), 'Rolling back podinfo.test progress deadline exceeded e'],
    [m.rollingBackAborted(ref), 'Rolling back podinfo.test abort requested'],
    [m.rollingBackInvalidAnalysis(ref, 'p'), 'Rolling back podinfo.test invalid analysis: p'],
    [m.canaryFailed(ref), 'Canary failed! Scaling down podinfo.test'],
    [m.canaryFailed(web), 'Canary failed! Scaling down web.prod'],
    [m.rollbackDetail(5, 5, 'x'), '5 of 5 allowed failed checks; last failure: x'],
    [m.rollbackDetail(2, 5, undefined), '2 of 5 allowed failed checks'],
  ];
  for (const [got, want] of cases) it(want, () => assert.equal(got, want));
});

describe('readiness texts', () => {
  const cases: Array<[string, string]> = [
    [
      m.canaryNotReady(ref, m.replicasNotAvailable(0, 1, 100)),
      'canary deployment podinfo.test not ready: waiting for rollout to finish: 0 of 1 (readyThreshold 100%) updated replicas are available',
    ],
    [
      m.primaryNotReady(ref, m.replicasNotAvailable(1, 2, 100)),
      'podinfo-primary.test not ready: waiting for rollout to finish: 1 of 2 (readyThreshold 100%) updated replicas are available',
    ],
    [m.generationNotObserved(), 'waiting for rollout to finish: observed deployment generation less than desired generation'],
    [m.progressDeadlineExceeded('podinfo'), 'deployment "podinfo" exceeded its progress deadline'],
    [m.replicasNotUpdated(1, 3), 'waiting for rollout to finish: 1 out of 3 new replicas have been updated'],
    [m.oldReplicasPending(2), 'waiting for rollout to finish: 2 old replicas are pending termination'],
    [
      m.rolloutWaitingDocsWording('podinfo-primary.test', 1, 2),
      'Waiting for podinfo-primary.test rollout to finish: 1 of 2 updated replicas are available',
    ],
  ];
  for (const [got, want] of cases) it(want, () => assert.equal(got, want));
});

describe('webhook texts', () => {
  const cases: Array<[string, string]> = [
    [m.confirmRolloutPassed('gate'), 'Confirm-rollout check gate passed'],
    [m.waitingForApproval(ref, 'gate'), 'Halt podinfo.test advancement waiting for approval gate'],
    [m.preRolloutPassed('acceptance-test'), 'Pre-rollout check acceptance-test passed'],
    [
      m.preRolloutFailed(ref, 'acceptance-test', 'exit status 1'),
      'Halt podinfo.test advancement pre-rollout check acceptance-test failed exit status 1',
    ],
    [m.rolloutHookFailed(ref, 'load-test', ''), 'Halt podinfo.test advancement external check load-test failed '],
    [m.confirmTrafficIncreasePassed('gate'), 'Confirm-traffic-increase check gate passed'],
    [m.waitingForTrafficIncrease(ref, 'gate'), 'Halt podinfo.test advancement waiting for traffic increase approval gate'],
    [m.confirmPromotionPassed('gate'), 'Confirm-promotion check gate passed'],
    [m.waitingForPromotion(ref, 'gate'), 'Halt podinfo.test advancement waiting for promotion approval gate'],
    [m.rollbackHookNotSignaling('rb'), 'Rollback hook rb not signaling a rollback'],
    [m.rollbackCheckPassed('rb'), 'Rollback check rb passed'],
    [m.postRolloutPassed('notify'), 'Post-rollout check notify passed'],
    [m.postRolloutFailed('notify', 'e'), 'Post-rollout hook notify failed e'],
    [m.webhookGaveUp('http://flagger-loadtester.test/', 3), 'POST http://flagger-loadtester.test/ giving up after 3 attempt(s)'],
  ];
  for (const [got, want] of cases) it(want, () => assert.equal(got, want));

  it('details a failure, including the silent ones', () => {
    assert.equal(
      m.hookFailureDetail('rollout', { name: 'load-test', url: 'http://lt/', status: 500, error: '' }),
      'rollout webhook load-test (http://lt/) answered HTTP 500 with an empty body',
    );
    assert.equal(
      m.hookFailureDetail('pre-rollout', { name: 'a', status: 403, error: ' Forbidden\n' }),
      'pre-rollout webhook a answered HTTP 403: Forbidden',
    );
    assert.equal(
      m.hookFailureDetail('rollout', { name: 'a', url: 'http://x/', error: 'context deadline exceeded' }),
      'rollout webhook a (http://x/) gave no HTTP answer: context deadline exceeded',
    );
  });
});

describe('metric texts', () => {
  const cases: Array<[string, string]> = [
    [m.successRateHalt(ref, 69.1666, '<', 99), 'Halt podinfo.test advancement success rate 69.17% < 99%'],
    [m.successRateHalt(web, 100, '>', 99.9), 'Halt web.prod advancement success rate 100.00% > 99.9%'],
    [m.durationHalt(ref, 1200, '>', 500), 'Halt podinfo.test advancement request duration 1.2s > 500ms'],
    [m.durationHalt(ref, 1450, '>', 500), 'Halt podinfo.test advancement request duration 1.45s > 500ms'],
    [m.durationHalt(ref, 3, '<', 10), 'Halt podinfo.test advancement request duration 3ms < 10ms'],
    [m.customHalt(ref, 'error-rate', 2.5, '>', 1), 'Halt podinfo.test advancement error-rate 2.50 > 1'],
    [
      m.builtinNoValues(web, 'contour', 'request-success-rate'),
      'Halt advancement no values found for contour metric request-success-rate probably podinfo.prod is not receiving traffic: running query failed: no values found',
    ],
    [
      m.builtinNoValues(ref, 'contour', 'request-duration'),
      'Halt advancement no values found for contour metric request-duration probably podinfo.test is not receiving traffic',
    ],
    [m.templateNoValues('e'), 'Halt advancement no values found for custom metric: e: no values found'],
    [m.inlineNoValues('e'), 'Halt advancement no values found for metric: e'],
    [m.builtinQueryFailed('x'), 'Prometheus query failed: running query failed: x'],
    [m.inlineQueryFailed('e', 'x'), 'Prometheus query failed for e: x'],
    [m.templateQueryFailed('e', 'x'), 'Metric query failed for e: x'],
    [m.templateLookupFailed('t', 'ns', 'x'), 'Metric template t.ns error: x'],
    [m.templateSecretFailed('t', 'ns', 's', 'x'), 'Metric template t.ns secret s error: x'],
    [m.templateProviderFailed('t', 'ns', 'prometheus', 'x'), 'Metric template t.ns provider prometheus error: x'],
    [m.templateRenderFailed('t', 'ns', 'x'), 'Metric template t.ns query render error: x'],
    [m.noUsableMetric(), 'Metric query failed for no usable metrics template and query were configured'],
  ];
  for (const [got, want] of cases) it(want, () => assert.equal(got, want));

  it('explains no values found', () => {
    assert.match(m.noValuesDetail('request-duration', 'q'), /^request-duration: the query returned no sample or NaN.*; query: q$/);
    assert.doesNotMatch(m.noValuesDetail('x', undefined), /query:/);
  });
});

describe('alerts', () => {
  it('carry Flagger texts and severities', () => {
    const a = m.alerts;
    assert.deepEqual(a.initialized('Deployment'), { severity: 'info', message: 'New Deployment detected, initialization completed.' });
    assert.deepEqual(a.newRevision(), { severity: 'info', message: 'New revision detected, progressing canary analysis.' });
    assert.deepEqual(a.waitingForApproval(), { severity: 'warn', message: 'Canary is waiting for approval.' });
    assert.deepEqual(a.waitingForTrafficIncrease(), { severity: 'warn', message: 'Canary traffic increase is waiting for approval.' });
    assert.deepEqual(a.waitingForPromotion(), { severity: 'warn', message: 'Canary promotion is waiting for approval.' });
    assert.deepEqual(a.manualWebhookRollback(), { severity: 'warn', message: 'Rolling back manual webhook invoked' });
    assert.deepEqual(a.thresholdReached(5), { severity: 'error', message: 'Failed checks threshold reached 5' });
    assert.deepEqual(a.succeeded(), { severity: 'info', message: 'Canary analysis completed successfully, promotion finished.' });
    assert.deepEqual(a.skipped(), { severity: 'info', message: 'Canary analysis was skipped, promotion finished.' });
    assert.deepEqual(a.promotionFailed('x'), { severity: 'error', message: 'Promotion failed, primary not ready: x' });
    assert.deepEqual(a.progressDeadline('x'), { severity: 'error', message: 'Progress deadline exceeded x' });
    assert.deepEqual(a.aborted(), { severity: 'warn', message: 'Rolling back, abort requested' });
  });
});
