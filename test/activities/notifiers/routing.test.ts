// Which providers an alert goes to: Flagger's severity rules per alert entry, and the default
// provider (PERCH_DEFAULT_ALERT_PROVIDER) for Canaries without entries. Pure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertRoutes, defaultAlertProvider, parseProviderRef, receives } from '../../../src/activities/notifiers/routing';
import { type AlertSettings } from '../../../src/api/canary-settings';

const entry = (name: string, severity: AlertSettings['severity']): AlertSettings => ({
  name,
  severity,
  providerRef: { name: `${name}-provider`, namespace: 'ops' },
});

describe('severity routing', () => {
  it('info receives all, warn receives warn and error, error only error, unset nothing', () => {
    const table = (['info', 'warn', 'error', ''] as const).map((e) => (['info', 'warn', 'error'] as const).map((s) => receives(e, s)));
    assert.deepEqual(table, [
      [true, true, true],
      [false, true, true],
      [false, false, true],
      [false, false, false],
    ]);
  });

  it("sends to the Canary's matching entries and ignores the default provider", () => {
    const alerts = [entry('all', 'info'), entry('pager', 'error'), entry('team', 'warn')];
    const env = defaultAlertProvider('ops/default', undefined);
    assert.deepEqual(alertRoutes(alerts, 'warn', env), [
      { alert: 'all', providerRef: { name: 'all-provider', namespace: 'ops' } },
      { alert: 'team', providerRef: { name: 'team-provider', namespace: 'ops' } },
    ]);
    assert.deepEqual(
      alertRoutes(alerts, 'error', env).map((r) => r.alert),
      ['all', 'pager', 'team'],
    );
    assert.deepEqual(alertRoutes([entry('unset', '')], 'error', env), []);
  });
});

describe('default provider', () => {
  it('receives the alerts of Canaries without entries, by its severity (default info)', () => {
    const route = [{ alert: 'default', providerRef: { namespace: 'ops', name: 'slack' } }];
    assert.deepEqual(alertRoutes([], 'info', defaultAlertProvider('ops/slack', undefined)), route);
    assert.deepEqual(alertRoutes([], 'info', defaultAlertProvider('ops/slack', 'warn')), []);
    assert.deepEqual(alertRoutes([], 'error', defaultAlertProvider(' ops/slack ', 'warn')), route);
  });

  it('is off when unset or empty', () => {
    assert.deepEqual(alertRoutes([], 'error', defaultAlertProvider(undefined, undefined)), []);
    assert.deepEqual(alertRoutes([], 'error', defaultAlertProvider('', 'error')), []);
  });

  it('reports a setting it cannot use as a problem, not an exception', () => {
    assert.deepEqual(alertRoutes([], 'info', defaultAlertProvider('slack', undefined)), [
      { alert: 'default', provider: 'slack', problem: 'PERCH_DEFAULT_ALERT_PROVIDER must be "<namespace>/<name>", got "slack"' },
    ]);
    assert.deepEqual(alertRoutes([], 'info', defaultAlertProvider('ops/slack', 'debug')), [
      { alert: 'default', provider: 'ops/slack', problem: 'PERCH_DEFAULT_ALERT_SEVERITY must be info, warn or error, got "debug"' },
    ]);
    assert.equal(parseProviderRef('a/b/c'), undefined);
    assert.equal(parseProviderRef('/b'), undefined);
  });
});
