// canarySettings(): Flagger's defaults and normalisation, starting from the user's seed Canary.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analysisIntervalMs, canarySettings, webhookTimeoutMs } from '../../src/api/defaults';
import { seedCanary, withAnalysis } from './fixtures';

describe('canarySettings on the seed Canary', () => {
  const s = canarySettings(seedCanary());

  it('keeps identity and references', () => {
    assert.equal(s.name, 'podinfo');
    assert.equal(s.namespace, 'test');
    assert.deepEqual(s.targetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' });
    assert.equal(s.autoscalerRef?.apiVersion, 'autoscaling/v2beta2');
    assert.equal(s.provider, undefined);
  });

  it('derives the service names, port and route settings', () => {
    assert.deepEqual([s.service.apexName, s.service.primaryName, s.service.canaryName], ['podinfo', 'podinfo-primary', 'podinfo-canary']);
    assert.equal(s.service.port, 80);
    assert.equal(s.service.targetPort, 9898);
    assert.equal(s.service.portName, 'http');
    assert.equal(s.service.timeout, '15s');
    assert.deepEqual(s.service.retries, { attempts: 3, perTryTimeout: '5s', retryOn: [] });
    assert.equal(s.service.uriPrefix, '/');
    assert.deepEqual(s.service.apex, { labels: {}, annotations: {} });
  });

  it('turns the analysis into milliseconds and explicit steps', () => {
    const a = s.analysis;
    assert.equal(a.intervalMs, 30_000);
    assert.equal(a.threshold, 5);
    assert.deepEqual([a.maxWeight, a.stepWeight, a.stepWeights, a.iterations], [50, 5, [], 0]);
    assert.equal(a.stepWeightPromotion, 0);
    assert.deepEqual([a.primaryReadyThreshold, a.canaryReadyThreshold], [100, 100]);
    assert.equal(s.strategy, 'canary');
    assert.equal(s.progressDeadlineSeconds, 600);
    assert.deepEqual([s.skipAnalysis, s.suspend, s.revertOnDeletion], [false, false, false]);
  });

  it('keeps metric windows as written and folds bounds into ranges', () => {
    assert.deepEqual(
      s.analysis.metrics.map((m) => [m.name, m.interval, m.intervalMs, m.thresholdRange]),
      [
        ['request-success-rate', '1m', 60_000, { min: 99 }],
        ['request-duration', '30s', 30_000, { max: 500 }],
      ],
    );
  });

  it('normalises webhooks', () => {
    assert.deepEqual(
      s.analysis.webhooks.map((w) => [w.name, w.type, w.timeoutMs, w.retries, w.muteAlert]),
      [
        ['acceptance-test', 'pre-rollout', 30_000, 0, false],
        ['load-test', 'rollout', 5_000, 0, false],
      ],
    );
    assert.equal(s.analysis.webhooks[0]?.metadata.type, 'bash');
  });
});

describe('canarySettings defaults', () => {
  it('fills every default Flagger applies', () => {
    const c = withAnalysis({ stepWeight: 10 });
    c.spec.service = { port: 8080 };
    delete c.spec.analysis.interval;
    delete c.spec.analysis.threshold;
    c.spec.analysis.metrics = [{ name: 'errors', templateRef: { name: 'errors' }, threshold: 3 }];
    c.spec.analysis.webhooks = [{ name: 'gate', url: 'http://gate/', type: '' }];
    c.spec.analysis.alerts = [{ name: 'slack', providerRef: { name: 'on-call' } }];
    const s = canarySettings(c);
    assert.equal(s.analysis.intervalMs, 60_000);
    assert.equal(s.analysis.threshold, 1);
    assert.equal(s.analysis.maxWeight, 100);
    assert.equal(s.service.targetPort, 8080);
    assert.equal(s.service.portName, 'http');
    assert.equal(s.service.retries, undefined);
    const metric = s.analysis.metrics[0];
    assert.deepEqual([metric?.interval, metric?.intervalMs, metric?.thresholdRange], ['1m', 60_000, { max: 3 }]);
    assert.deepEqual(metric?.templateRef, { name: 'errors', namespace: 'test' });
    assert.deepEqual([s.analysis.webhooks[0]?.type, s.analysis.webhooks[0]?.timeoutMs], ['rollout', 10_000]);
    assert.deepEqual(s.analysis.alerts[0], { name: 'slack', severity: '', providerRef: { name: 'on-call', namespace: 'test' } });
  });

  it('names services after spec.service.name and reads the route prefix from match', () => {
    const c = seedCanary();
    c.spec.service = {
      name: 'web',
      port: 80,
      targetPort: 'http',
      match: [{ uri: { prefix: '/api' } }],
      retries: { retryOn: 'gateway-error, connect-failure' },
    };
    const s = canarySettings(c);
    assert.deepEqual([s.service.apexName, s.service.primaryName, s.service.targetPort, s.service.uriPrefix], ['web', 'web-primary', 'http', '/api']);
    assert.deepEqual(s.service.retries, { attempts: 0, retryOn: ['gateway-error', 'connect-failure'] });
  });

  it('honours short intervals down to 1s, where Flagger clamps to 10s', () => {
    assert.equal(analysisIntervalMs('5s'), 5_000);
    assert.equal(analysisIntervalMs('100ms'), 1_000);
    assert.equal(analysisIntervalMs('1m30s'), 90_000);
    assert.equal(analysisIntervalMs('soon'), 60_000);
    assert.equal(analysisIntervalMs(''), 60_000);
  });

  it('treats too-short or unparsable webhook timeouts as the 10s default', () => {
    assert.equal(webhookTimeoutMs('5'), 10_000);
    assert.equal(webhookTimeoutMs('later'), 10_000);
    assert.equal(webhookTimeoutMs('2m'), 120_000);
  });

  it('honours explicit progress deadline, ready thresholds and flags', () => {
    const c = withAnalysis({ stepWeight: 10, primaryReadyThreshold: 0, canaryReadyThreshold: 50 });
    Object.assign(c.spec, { progressDeadlineSeconds: 60, suspend: true, skipAnalysis: true, revertOnDeletion: true, provider: 'contour' });
    const s = canarySettings(c);
    assert.deepEqual([s.progressDeadlineSeconds, s.suspend, s.skipAnalysis, s.revertOnDeletion, s.provider], [60, true, true, true, 'contour']);
    assert.deepEqual([s.analysis.primaryReadyThreshold, s.analysis.canaryReadyThreshold], [0, 50]);
  });
});

describe('canarySettings weights and strategy', () => {
  it('takes maxWeight from the last element of stepWeights', () => {
    const s = canarySettings(withAnalysis({ stepWeights: [1, 5, 20, 60], maxWeight: 30 }));
    assert.deepEqual([s.analysis.stepWeight, s.analysis.stepWeights, s.analysis.maxWeight], [0, [1, 5, 20, 60], 60]);
  });

  it('caps maxWeight at 100', () => {
    assert.equal(canarySettings(withAnalysis({ stepWeights: [50, 150] })).analysis.maxWeight, 100);
    assert.equal(canarySettings(withAnalysis({ stepWeight: 10, maxWeight: 150 })).analysis.maxWeight, 100);
  });

  it('lets stepWeight win over stepWeights', () => {
    const s = canarySettings(withAnalysis({ stepWeight: 10, stepWeights: [5, 20], maxWeight: 40 }));
    assert.deepEqual([s.analysis.stepWeight, s.analysis.stepWeights, s.analysis.maxWeight], [10, [], 40]);
  });

  it('chooses A/B with match and iterations, blue/green with iterations only', () => {
    const match = [{ headers: { 'x-canary': { exact: 'insider' } } }];
    assert.equal(canarySettings(withAnalysis({ iterations: 10, match })).strategy, 'ab-testing');
    assert.equal(canarySettings(withAnalysis({ iterations: 10 })).strategy, 'blue-green');
    assert.equal(canarySettings(withAnalysis({ stepWeight: 10, match })).strategy, 'canary');
    assert.equal(canarySettings(withAnalysis({ iterations: 10, match })).analysis.iterations, 10);
  });

  it('skips analysis when there is none, falling back to the deprecated spelling first', () => {
    const none = seedCanary() as unknown as { spec: Record<string, unknown> };
    delete none.spec.analysis;
    assert.equal(canarySettings(none as never).skipAnalysis, true);
    const old = seedCanary() as unknown as { spec: Record<string, unknown> };
    old.spec.canaryAnalysis = old.spec.analysis;
    delete old.spec.analysis;
    const s = canarySettings(old as never);
    assert.deepEqual([s.skipAnalysis, s.analysis.stepWeight], [false, 5]);
  });

  it('does not share arrays or maps with the input', () => {
    const c = withAnalysis({ stepWeights: [10, 20] });
    const s = canarySettings(c);
    s.analysis.stepWeights.push(30);
    assert.deepEqual(c.spec.analysis.stepWeights, [10, 20]);
  });
});
