// The activities' settings, read once from the environment by the entry points. Pure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activityConfig } from '../../src/config';

describe('activity settings', () => {
  it('has Flagger-compatible defaults', () => {
    assert.deepEqual(activityConfig({}), { metricsServer: 'http://prometheus:9090', eventSource: 'perch' });
  });

  it('reads every PERCH_ setting the activities use', () => {
    assert.deepEqual(activityConfig({
      PERCH_METRICS_SERVER: 'http://prom.monitoring:9090', PERCH_INGRESS_CLASS: 'contour-internal',
      PERCH_EVENT_WEBHOOK_URL: 'https://events.example/hook', PERCH_EVENT_SOURCE: 'flagger',
      PERCH_DEFAULT_ALERT_PROVIDER: 'ops/slack', PERCH_DEFAULT_ALERT_SEVERITY: 'warn',
    }), {
      metricsServer: 'http://prom.monitoring:9090', ingressClass: 'contour-internal', eventWebhookUrl: 'https://events.example/hook',
      eventSource: 'flagger', defaultAlertProvider: { providerRef: { namespace: 'ops', name: 'slack' }, severity: 'warn' },
    });
  });

  it('treats empty values as unset', () => {
    assert.deepEqual(activityConfig({ PERCH_METRICS_SERVER: ' ', PERCH_INGRESS_CLASS: '', PERCH_EVENT_SOURCE: '' }),
      { metricsServer: 'http://prometheus:9090', eventSource: 'perch' });
  });

  it('keeps a default alert provider it cannot use as a problem to report on each alert', () => {
    assert.deepEqual(activityConfig({ PERCH_DEFAULT_ALERT_PROVIDER: 'slack' }).defaultAlertProvider,
      { provider: 'slack', problem: 'PERCH_DEFAULT_ALERT_PROVIDER must be "<namespace>/<name>", got "slack"' });
  });
});
