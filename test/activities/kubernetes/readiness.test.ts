// Pure: Flagger's readiness verdict and its texts, one observation at a time (no cluster).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import { evaluateDaemonSetReadiness, evaluateReadiness, requiredAvailable } from '../../../src/kubernetes/readiness';

interface Obs {
  generation?: number;
  observed?: number;
  replicas?: number;
  updated?: number;
  total?: number;
  available?: number;
  conditions?: k8s.V1DeploymentCondition[];
}

const deployment = (o: Obs): k8s.V1Deployment => ({
  metadata: { name: 'podinfo-primary', generation: o.generation ?? 1 },
  spec: { replicas: o.replicas ?? 2, selector: {}, template: {} },
  status: {
    observedGeneration: o.observed ?? 1,
    updatedReplicas: o.updated ?? 2,
    replicas: o.total ?? o.updated ?? 2,
    availableReplicas: o.available ?? 2,
    conditions: o.conditions ?? [],
  },
});

describe('evaluateReadiness', () => {
  it('is ready when every updated replica is available', () => {
    const r = evaluateReadiness(deployment({}), 100);
    assert.equal(r.ready, true);
    assert.equal(r.deadlineExceeded, false);
  });

  it('waits for the controller to observe the latest generation', () => {
    // No pod can run a template the controller has not seen yet: none of the available ones counts.
    assert.deepEqual(evaluateReadiness(deployment({ generation: 2, observed: 1 }), 100), {
      ready: false,
      deadlineExceeded: false,
      available: 0,
      desired: 2,
      message: 'waiting for rollout to finish: observed deployment generation less than desired generation',
    });
  });

  it('counts only updated pods as available (the "N of M updated replicas are available" Event)', () => {
    // 2 of 4 updated, all 4 available: at most 2 of them run the new template.
    assert.equal(evaluateReadiness(deployment({ replicas: 4, updated: 2, total: 4, available: 4 }), 100).available, 2);
    // The caller counted the updated ReplicaSet: that count is taken as it is.
    assert.equal(evaluateReadiness(deployment({ replicas: 4, updated: 2, total: 4, available: 4 }), 100, { updatedAvailable: 1 }).available, 1);
  });

  it('waits for updated replicas, then for old ones to go, then for availability', () => {
    assert.equal(
      evaluateReadiness(deployment({ updated: 1, total: 2 }), 100).message,
      'waiting for rollout to finish: 1 out of 2 new replicas have been updated',
    );
    assert.equal(
      evaluateReadiness(deployment({ updated: 2, total: 3 }), 100).message,
      'waiting for rollout to finish: 1 old replicas are pending termination',
    );
    assert.equal(
      evaluateReadiness(deployment({ available: 1 }), 100).message,
      'waiting for rollout to finish: 1 of 2 (readyThreshold 100%) updated replicas are available',
    );
  });

  it('applies the ready threshold to updated replicas', () => {
    assert.equal(evaluateReadiness(deployment({ available: 1 }), 50).ready, true);
    assert.equal(requiredAvailable(3, 50), 1);
    assert.equal(requiredAvailable(10, 70), 7);
    assert.equal(requiredAvailable(4, 0), 0);
  });

  it('gives up on ProgressDeadlineExceeded', () => {
    const r = evaluateReadiness(
      deployment({ available: 0, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }),
      100,
    );
    assert.deepEqual(r, {
      ready: false,
      deadlineExceeded: true,
      available: 0,
      desired: 2,
      message: 'deployment "podinfo-primary" exceeded its progress deadline',
    });
  });

  it("gives up when the minimum replicas have been missing longer than the Canary's deadline", () => {
    const now = new Date('2024-01-01T00:10:00Z');
    const conditions = (since: string): k8s.V1DeploymentCondition[] => [
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
      // A raw watch event carries the time as a string.
      { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', lastUpdateTime: since as unknown as Date },
    ];
    const stuck = evaluateReadiness(deployment({ available: 0, conditions: conditions('2024-01-01T00:00:00Z') }), 100, {
      progressDeadlineSeconds: 60,
      now,
    });
    assert.equal(stuck.deadlineExceeded, true);
    assert.equal(stuck.message, 'waiting for rollout to finish: 0 of 2 (readyThreshold 100%) updated replicas are available');
    const recent = evaluateReadiness(deployment({ available: 0, conditions: conditions('2024-01-01T00:09:30Z') }), 100, {
      progressDeadlineSeconds: 60,
      now,
    });
    assert.equal(recent.deadlineExceeded, false);
    const noDeadline = evaluateReadiness(deployment({ available: 0, conditions: conditions('2024-01-01T00:00:00Z') }), 100, { now });
    assert.equal(noDeadline.deadlineExceeded, false);
  });
});

describe('evaluateDaemonSetReadiness', () => {
  const ds = (o: { generation?: number; observed?: number; desired?: number; updated?: number; available?: number }): k8s.V1DaemonSet => ({
    metadata: { name: 'podinfo', generation: o.generation ?? 1 },
    status: {
      observedGeneration: o.observed ?? 1,
      desiredNumberScheduled: o.desired ?? 3,
      updatedNumberScheduled: o.updated ?? 3,
      numberAvailable: o.available ?? 3,
      currentNumberScheduled: 3,
      numberMisscheduled: 0,
      numberReady: 3,
    },
  });

  it("uses Flagger's DaemonSet texts and counts only updated pods", () => {
    assert.equal(
      evaluateDaemonSetReadiness(ds({ generation: 2 })).message,
      'waiting for rollout to finish: observed daemonset generation less than desired generation',
    );
    const partial = evaluateDaemonSetReadiness(ds({ updated: 1 }));
    assert.equal(partial.message, 'waiting for rollout to finish: 1 out of 3 new pods have been updated');
    assert.equal(partial.available, 1, 'the two old pods do not count');
    assert.equal(evaluateDaemonSetReadiness(ds({ available: 2 })).message, 'waiting for rollout to finish: 2 of 3 updated pods are available');
    assert.equal(evaluateDaemonSetReadiness(ds({})).ready, true);
  });
});
