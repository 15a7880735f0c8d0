// The activities' settings, read once from the environment by the entry points. Pure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activityConfig } from '../../src/config';

/** What an installation that sets none of Flagger's controller flags gets: Flagger's defaults. */
const FLAGGER_FLAGS = {
  selectorLabels: ['app', 'name', 'app.kubernetes.io/name'],
  includeLabelPrefix: [],
  configTracking: true,
  ownEndpoints: [],
  allowOwnEndpoints: false,
  noCrossNamespaceRefs: false,
};

describe('activity settings', () => {
  it('has Flagger-compatible defaults', () => {
    assert.deepEqual(activityConfig({}), { ...FLAGGER_FLAGS, metricsServer: 'http://prometheus:9090', eventSource: 'perch' });
  });

  it('reads every PERCH_ setting the activities use', () => {
    assert.deepEqual(
      activityConfig({
        PERCH_METRICS_SERVER: 'http://prom.monitoring:9090',
        PERCH_INGRESS_CLASS: 'contour-internal',
        PERCH_EVENT_WEBHOOK_URL: 'https://events.example/hook',
        PERCH_EVENT_SOURCE: 'flagger',
        PERCH_DEFAULT_ALERT_PROVIDER: 'ops/slack',
        PERCH_DEFAULT_ALERT_SEVERITY: 'warn',
        PERCH_SELECTOR_LABELS: 'app.kubernetes.io/instance, app',
        PERCH_INCLUDE_LABEL_PREFIX: 'team.example/,app.kubernetes.io/',
        PERCH_CONFIG_TRACKING: 'False',
        PERCH_NO_CROSS_NAMESPACE_REFS: 'TRUE',
        PERCH_CLUSTER_NAME: 'eu-west-1',
        PERCH_ALLOW_OWN_ENDPOINTS: 'true',
      }),
      {
        selectorLabels: ['app.kubernetes.io/instance', 'app'],
        includeLabelPrefix: ['team.example/', 'app.kubernetes.io/'],
        configTracking: false,
        noCrossNamespaceRefs: true,
        ownEndpoints: [],
        allowOwnEndpoints: true,
        clusterName: 'eu-west-1',
        metricsServer: 'http://prom.monitoring:9090',
        ingressClass: 'contour-internal',
        eventWebhookUrl: 'https://events.example/hook',
        eventSource: 'flagger',
        defaultAlertProvider: { providerRef: { namespace: 'ops', name: 'slack' }, severity: 'warn' },
      },
    );
  });

  it('treats empty values as unset', () => {
    assert.deepEqual(
      activityConfig({
        PERCH_METRICS_SERVER: ' ',
        PERCH_INGRESS_CLASS: '',
        PERCH_EVENT_SOURCE: '',
        PERCH_SELECTOR_LABELS: ' , ',
        PERCH_CONFIG_TRACKING: '',
        PERCH_CLUSTER_NAME: ' ',
      }),
      { ...FLAGGER_FLAGS, metricsServer: 'http://prometheus:9090', eventSource: 'perch' },
    );
  });

  it('stops on an on/off setting that is neither true nor false, naming it', () => {
    assert.throws(() => activityConfig({ PERCH_CONFIG_TRACKING: 'yes' }), /^Error: PERCH_CONFIG_TRACKING must be true or false, got "yes"$/);
  });

  it('keeps a default alert provider it cannot use as a problem to report on each alert', () => {
    assert.deepEqual(activityConfig({ PERCH_DEFAULT_ALERT_PROVIDER: 'slack' }).defaultAlertProvider, {
      provider: 'slack',
      problem: 'PERCH_DEFAULT_ALERT_PROVIDER must be "<namespace>/<name>", got "slack"',
    });
  });
});
