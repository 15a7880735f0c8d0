// deploymentReadiness and waitForReady against the real cluster: a Deployment that becomes ready,
// one that cannot (no node matches its nodeSelector), and one past its own progress deadline.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { stackActivities } from '../stack-activities';
import { createNamespace, deleteNamespace } from '../../support/namespace';
import { eventually, kubeConfig } from '../../support/stack';
import { deployment } from '../../support/workloads';
import { CancelledFailure } from '@temporalio/activity';
import { runAsActivity } from './activity-context';
import { IMAGE } from './fixtures';

const { deploymentReadiness, waitForReady } = stackActivities();

describe('deployment readiness', () => {
  const kc = kubeConfig();
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  let ns = '';

  before(async () => {
    ns = await createNamespace(kc, 'act-k8s-ready');
  });
  after(async () => {
    await deleteNamespace(kc, ns);
  });

  const unschedulable = (name: string, progressDeadlineSeconds?: number): k8s.V1Deployment => {
    const d = deployment(ns, name, IMAGE, 1);
    if (d.spec?.template.spec) d.spec.template.spec.nodeSelector = { 'perch.test/nowhere': 'true' };
    if (d.spec && progressDeadlineSeconds !== undefined) d.spec.progressDeadlineSeconds = progressDeadlineSeconds;
    return d;
  };

  it('waitForReady returns ready as soon as a new Deployment is available', async () => {
    await apps.createNamespacedDeployment({ namespace: ns, body: deployment(ns, 'good', IMAGE, 2) });
    const started = Date.now();
    const r = await waitForReady({ namespace: ns, name: 'good', readyThreshold: 100, timeoutMs: 90_000 });
    assert.equal(r.ready, true, r.message);
    assert.ok(Date.now() - started < 60_000);
    const now = await deploymentReadiness({ namespace: ns, name: 'good', readyThreshold: 100 });
    assert.equal(now.ready, true);
  });

  it("waitForReady gives up after its timeout with Flagger's waiting message", async () => {
    await apps.createNamespacedDeployment({ namespace: ns, body: unschedulable('stuck') });
    const started = Date.now();
    const r = await waitForReady({ namespace: ns, name: 'stuck', readyThreshold: 100, timeoutMs: 3000 });
    const took = Date.now() - started;
    assert.equal(r.ready, false);
    assert.equal(r.deadlineExceeded, false);
    assert.equal(r.message, 'waiting for rollout to finish: 0 of 1 (readyThreshold 100%) updated replicas are available');
    assert.ok(took >= 2900 && took < 10_000, `took ${took} ms`);
  });

  it('deploymentReadiness reports a Deployment past its own progress deadline as such', async () => {
    await apps.createNamespacedDeployment({ namespace: ns, body: unschedulable('late', 1) });
    // The Deployment controller marks ProgressDeadlineExceeded a moment after the deadline; the
    // watch notices without polling.
    const r = await waitForReady({ namespace: ns, name: 'late', readyThreshold: 100, timeoutMs: 60_000 });
    assert.deepEqual(r, {
      ready: false,
      deadlineExceeded: true,
      available: 0,
      desired: 1,
      message: 'deployment "late" exceeded its progress deadline',
    });
    // With a 1 s deadline (timestamps have whole seconds) the controller can mark the deadline
    // before the ReplicaSet reports its pod, and then count that report as progress for a moment;
    // it marks the deadline again at its next sync. A single read can land in that moment.
    const read = await eventually('the deadline on a single read', 30_000, async () => {
      const now = await deploymentReadiness({ namespace: ns, name: 'late', readyThreshold: 100 });
      return now.deadlineExceeded ? now : undefined;
    });
    assert.deepEqual(read, r);
  });

  it('treats a missing Deployment as not ready, and notices when it appears', async () => {
    const missing = await deploymentReadiness({ namespace: ns, name: 'later', readyThreshold: 100 });
    assert.deepEqual(missing, {
      ready: false,
      deadlineExceeded: false,
      available: 0,
      desired: 0,
      message: `deployment later.${ns} get query error: not found`,
    });
    const waiting = runAsActivity(() => waitForReady({ namespace: ns, name: 'later', readyThreshold: 100, timeoutMs: 90_000 }), {
      heartbeatTimeoutMs: 3000,
    });
    // It has looked and found nothing: its heartbeat says so.
    await eventually('a heartbeat saying not found', 30_000, () =>
      Promise.resolve(waiting.heartbeats.at(-1) === `deployment later.${ns} get query error: not found` ? true : undefined),
    );
    await apps.createNamespacedDeployment({ namespace: ns, body: deployment(ns, 'later', IMAGE, 1) });
    assert.equal((await waiting.result).ready, true);
  });

  it('heartbeats while waiting and stops at once when the activity is cancelled', async () => {
    await apps.createNamespacedDeployment({ namespace: ns, body: unschedulable('cancelled') });
    const activity = runAsActivity(() => waitForReady({ namespace: ns, name: 'cancelled', readyThreshold: 100, timeoutMs: 120_000 }), {
      heartbeatTimeoutMs: 3000,
    });
    const message = 'waiting for rollout to finish: 0 of 1 (readyThreshold 100%) updated replicas are available';
    await eventually('a heartbeat with the readiness message', 10_000, () =>
      Promise.resolve(activity.heartbeats.at(-1) === message ? true : undefined),
    );
    const started = Date.now();
    activity.cancel();
    await assert.rejects(activity.result, (err) => err instanceof CancelledFailure);
    assert.ok(Date.now() - started < 1000);
  });

  it("keeps watching across the client's 30 s idle reconnects", { timeout: 120_000 }, async () => {
    await apps.createNamespacedDeployment({ namespace: ns, body: unschedulable('slow') });
    const waiting = waitForReady({ namespace: ns, name: 'slow', readyThreshold: 100, timeoutMs: 100_000 });
    await new Promise((r) => setTimeout(r, 35_000));
    await apps.patchNamespacedDeployment(
      { name: 'slow', namespace: ns, body: [{ op: 'remove', path: '/spec/template/spec/nodeSelector' }] },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    const started = Date.now();
    const r = await waiting;
    assert.equal(r.ready, true, r.message);
    assert.ok(Date.now() - started < 30_000);
  });
});
