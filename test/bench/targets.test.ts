import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import type { Results } from './main';
import { rolloutState } from './recorder';
import { type SeedSide } from './seed';
import { targets } from './targets';

const deployment = (generation: number, spec: number, status: k8s.V1DeploymentStatus): k8s.V1Deployment => ({
  metadata: { generation },
  spec: { replicas: spec, selector: {}, template: {} },
  status,
});

describe("a Deployment's rollout, as the bench times it", () => {
  it('is rolling from the spec change until the controller has seen it', () => {
    assert.equal(rolloutState(deployment(3, 2, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 })), 'rolling');
  });

  it('is rolling while a replica is not updated, an old one remains, or an updated one is not yet available', () => {
    assert.equal(rolloutState(deployment(3, 2, { observedGeneration: 3, replicas: 3, updatedReplicas: 1, availableReplicas: 2 })), 'rolling');
    assert.equal(rolloutState(deployment(3, 2, { observedGeneration: 3, replicas: 3, updatedReplicas: 2, availableReplicas: 2 })), 'rolling');
    assert.equal(rolloutState(deployment(3, 2, { observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 1 })), 'rolling');
  });

  it('is rolled out when every replica is updated and available', () => {
    assert.equal(rolloutState(deployment(3, 2, { observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 2 })), 'rolled out');
    assert.equal(rolloutState(deployment(4, 0, { observedGeneration: 4 })), 'rolled out');
  });
});

describe('the rollout wall-time target', () => {
  const side = (promotion: SeedSide['promotion']): SeedSide => ({
    initializedS: 5,
    atInitialized: {},
    promotion,
    rollback: {},
    rollouts: {},
  });
  const run = (perch: SeedSide['promotion'], flagger: SeedSide['promotion']): Results => ({
    machine: { cores: 2, cpu: 'test', memoryGiB: 24, load1: 0 },
    startedAt: '2026-12-06T00:00:00Z',
    commit: 'test',
    flagger: { version: 'v1.44.0' },
    bundle: { bytes: 0 },
    seed: {
      perch: side(perch),
      flagger: side(flagger),
      temporal: { atInitialized: { rssMiB: 0, cpuSeconds: 0 }, rollouts: { rssMiB: 0, cpuSeconds: 0 } },
    },
    fleet: [],
  });
  const wallTime = (r: Results) => targets(r).find((t) => t.target.startsWith('rollout wall time'));

  it("counts the primary's rollout after the copy as readiness, beside the canary's", () => {
    const t = wallTime(
      run({ doneS: 111, firstAdvanceS: 5, primaryRolloutS: 5.5, periodsS: [] }, { doneS: 150, firstAdvanceS: 20, primaryRolloutS: 5, periodsS: [] }),
    );
    assert.equal(t?.verdict, 'met');
    assert.match(t?.figure ?? '', /Perch 0\.5 s, Flagger 25 s/);
  });

  it('is not met when the promotion itself takes more than 2 s beyond both readinesses', () => {
    const t = wallTime(run({ doneS: 113.1, firstAdvanceS: 5, primaryRolloutS: 6, periodsS: [] }, { doneS: 150, firstAdvanceS: 20, periodsS: [] }));
    assert.equal(t?.verdict, 'not met');
    assert.match(t?.figure ?? '', /Perch 2\.1 s/);
  });

  it("judges a run recorded before the primary's rollout was timed as it was then", () => {
    const t = wallTime(run({ doneS: 110, firstAdvanceS: 4.8, periodsS: [] }, { doneS: 150, firstAdvanceS: 20, periodsS: [] }));
    assert.equal(t?.verdict, 'not met');
    assert.match(t?.figure ?? '', /Perch 5\.2 s.*Perch 4\.8 \+ not measured s/);
  });
});
