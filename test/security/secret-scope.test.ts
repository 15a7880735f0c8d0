// A user who can write Canaries, MetricTemplates and AlertProviders in one namespace cannot make
// Perch send a Secret of another namespace anywhere (docs/security.md, "the threat"): a `secretRef`
// is read in the namespace of the object that names it, never the Canary's nor one a reference
// points at. Run against the real apiserver with the worker's activities, each server a receiver on
// 127.0.0.1 that records what it was sent: the user's own server never sees the other team's token,
// and the other team's template sends it only to the address that team configured.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AlertProviderSpec } from '../../src/api/alert-provider';
import { FLAGGER_GROUP, FLAGGER_VERSION } from '../../src/api/canary';
import { type CanarySettings, type MetricSettings } from '../../src/api/canary-settings';
import { canarySettings } from '../../src/api/defaults';
import { type MetricProvider } from '../../src/api/metric-template';
import { stackActivities } from '../activities/stack-activities';
import { installCrds } from '../support/crds';
import { apply } from '../support/manifests';
import { createNamespace, deleteNamespace } from '../support/namespace';
import { Receiver } from '../support/receiver';
import { seedCanary, TEST_INTERVALS } from '../support/seed';
import { kubeConfig } from '../support/stack';

const { measureMetric, sendAlert } = stackActivities();

/** The other team's Secret value: what the user must never receive. */
const OTHER_TOKEN = 'other-team-token';
const SECRET = 'credentials';
/** An instant vector of one sample, as Prometheus answers /api/v1/query. */
const ONE_SAMPLE = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [0, '1'] }] } });

describe("a Secret of another namespace stays out of a user's reach", () => {
  const kc = kubeConfig();
  /** The user's server, and the other team's Prometheus. */
  let users: Receiver;
  let others: Receiver;
  let user = '';
  let other = '';
  let settings: CanarySettings;

  const object = (kind: string, namespace: string, name: string, spec: object) => ({
    apiVersion: `${FLAGGER_GROUP}/${FLAGGER_VERSION}`,
    kind,
    metadata: { name, namespace },
    spec,
  });
  const template = (namespace: string, name: string, provider: Partial<MetricProvider>) =>
    object('MetricTemplate', namespace, name, { provider: { type: 'prometheus', ...provider }, query: 'vector(1)' });
  const alertProvider = (namespace: string, name: string, spec: AlertProviderSpec) => object('AlertProvider', namespace, name, spec);
  const secret = (namespace: string, stringData: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: SECRET, namespace },
    stringData,
  });
  const measure = (ref: { name: string; namespace: string }) => {
    const metric: MetricSettings = {
      name: 'borrowed',
      interval: '1m',
      intervalMs: 60_000,
      thresholdRange: { min: 0 },
      templateVariables: {},
      noData: 'fail',
      templateRef: ref,
    };
    return measureMetric({ settings, metric });
  };
  const everythingSent = (r: Receiver) => r.requests.map((q) => `${JSON.stringify(q.headers)} ${q.path} ${q.body}`).join('\n');

  before(async () => {
    await installCrds(kc);
    [user, other] = await Promise.all([createNamespace(kc, 'scope-user'), createNamespace(kc, 'scope-other')]);
    [users, others] = await Promise.all([Receiver.start(), Receiver.start()]);
    users.answer(200, ONE_SAMPLE);
    others.answer(200, ONE_SAMPLE);
    settings = canarySettings(seedCanary(TEST_INTERVALS, user));
    await apply(kc, [
      // Only the other namespace holds the Secret; its template sends it to its own Prometheus.
      secret(other, { token: OTHER_TOKEN, address: others.url('/other-alerts') }),
      template(other, 'owned', { address: others.url(), secretRef: { name: SECRET } }),
      // The user's objects name that Secret and point at the user's server.
      template(user, 'borrowing', { address: users.url(), secretRef: { name: SECRET } }),
      alertProvider(user, 'borrowing', { type: 'slack', secretRef: { name: SECRET } }),
    ]);
  });
  after(async () => {
    await Promise.all([users.close(), others.close()]);
    await Promise.all([deleteNamespace(kc, user), deleteNamespace(kc, other)]);
  });

  it("a MetricTemplate of the user's namespace reads the Secret there only: not found, nothing sent", async () => {
    const m = await measure({ name: 'borrowing', namespace: user });
    assert.ok('error' in m && m.error.includes(SECRET) && m.error.includes(user), JSON.stringify(m));
    assert.equal(users.requests.length, 0, 'no query reached the user server without the Secret either');
  });

  it("the other namespace's template sends its Secret only to the address its owner configured", async () => {
    const m = await measure({ name: 'owned', namespace: other });
    assert.ok('value' in m, JSON.stringify(m));
    assert.ok(
      others.requests.some((q) => q.headers.authorization === `Bearer ${OTHER_TOKEN}`),
      "the other team's Prometheus got its token",
    );
    assert.ok(!everythingSent(users).includes(OTHER_TOKEN), 'the user server never saw the token');
  });

  it("an AlertProvider of the user's namespace reads the Secret there only: not found, nothing sent", async () => {
    const deliveries = await sendAlert({
      settings: {
        ...settings,
        analysis: { ...settings.analysis, alerts: [{ name: 'leak', severity: 'info', providerRef: { name: 'borrowing', namespace: user } }] },
      },
      phase: 'Failed',
      severity: 'error',
      message: 'm',
    });
    assert.deepEqual(deliveries, [
      {
        alert: 'leak',
        provider: `borrowing.${user}`,
        ok: false,
        error: `alert provider borrowing.${user}: secret ${SECRET} not found in namespace ${user}`,
      },
    ]);
    assert.equal(others.to('/other-alerts').length, 0, "the Secret's address was never posted to");
    assert.ok(!everythingSent(users).includes(OTHER_TOKEN), 'the user server never saw the token');
  });
});
