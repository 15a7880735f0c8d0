// Perch on a self-hosted Temporal instead of the dev server: Temporal's own server on PostgreSQL
// (scripts/production-temporal.sh), polled by two workers and two watchers as two replicas of each
// would in a cluster. The seed's promotion, with one worker killed by SIGKILL midway, then its
// rollback; every step happens once, and the size of each rollout's history is measured.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { temporal } from '@temporalio/proto';
import { canaryWorkflowId } from '../../src/workflows/messages';
import { canaryEventCounts, inOrder } from '../support/events';
import { type ProductionTemporal, startProductionTemporal, stopProductionTemporal } from '../support/production-temporal';
import { Scenario } from '../support/scenario';
import { eventually } from '../support/stack';

const WORKERS = ['worker', 'worker-2', 'worker-3'];

describe('Perch on a self-hosted Temporal server with PostgreSQL', () => {
  let server: ProductionTemporal;
  let s: Scenario;

  /** What every worker logged for the canary, in time order (each worker has its own log). */
  const messages = () =>
    WORKERS.flatMap((name) => {
      try {
        return s.perch.logRecords(s.canaryId, name);
      } catch {
        return []; // a worker not started yet has no log
      }
    })
      .sort((a, b) => a.ts - b.ts)
      .map((r) => r.msg);
  const counts = () => canaryEventCounts(s.kc, s.namespace, 'podinfo');

  before(async () => {
    server = await startProductionTemporal();
    s = new Scenario('production-temporal', { TEMPORAL_ADDRESS: server.temporal });
    await s.given();
    s.perch.start('worker', 'worker-2');
    s.perch.start('watcher', 'watcher-2');
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
  });
  after(async () => {
    await s?.tearDown();
    await stopProductionTemporal();
  });

  it('is a PostgreSQL-backed server with the namespace and search attributes Perch needs', async () => {
    const client = await s.client();
    const info = await client.workflowService.getClusterInfo({});
    assert.equal(info.persistenceStore, 'postgres12');
    assert.equal(info.visibilityStore, 'postgres12');
    console.log(`# Temporal server ${info.serverVersion} on ${info.persistenceStore}, frontend ${server.temporal}`);
    const ns = await client.workflowService.describeNamespace({ namespace: server.namespace });
    const retention = Number(ns.config?.workflowExecutionRetentionTtl?.seconds ?? 0);
    assert.equal(retention, 30 * 24 * 3600, `retention ${server.retention}`);
    const attrs = await client.connection.operatorService.listSearchAttributes({ namespace: server.namespace });
    for (const name of ['CanaryNamespace', 'CanaryName', 'RolloutTarget', 'RolloutPhase', 'CanaryWeight', 'RolloutOutcome', 'RolloutRevision']) {
      assert.ok(attrs.customAttributes?.[name] !== undefined, `${name} is registered`);
    }
  });

  it('promotes 6.0.1 although a worker is killed with SIGKILL midway; every step once', async () => {
    const since = await s.whenImageChanges('6.0.1');
    await s.thenWeight(15, since);
    // The worker that holds the workflow (its cache, and the activities it dispatches to itself)
    // is the one that logged the last step: that one is killed.
    const step = `Advance ${s.canaryId} canary weight 15`;
    const busy = await eventually('the worker that advanced to weight 15', 30_000, () =>
      Promise.resolve(['worker', 'worker-2'].find((name) => s.perch.logMessages(s.canaryId, name).includes(step))),
    );
    const survivor = busy === 'worker' ? 'worker-2' : 'worker';
    const killedAt = Date.now();
    await s.perch.kill(busy, 'SIGKILL');
    await s.thenPhase('Succeeded');
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.1');
    assert.deepEqual(await s.weights(), [100, 0]);
    const problem = inOrder(messages(), [
      'New revision detected! Scaling up podinfo.production-temporal',
      'Pre-rollout check acceptance-test passed',
      ...[5, 10, 15, 20, 25, 30, 35, 40, 45, 50].map((w) => `Advance podinfo.production-temporal canary weight ${w}`),
      'Copying podinfo.production-temporal template spec to podinfo-primary.production-temporal',
      'Routing all traffic to primary',
      'Promotion completed! Scaling down podinfo.production-temporal',
    ]);
    assert.equal(problem, undefined, problem);
    // The other worker carried the rollout on after the kill.
    const afterKill = s.perch
      .logRecords(s.canaryId, survivor)
      .filter((r) => r.ts > killedAt)
      .map((r) => r.msg);
    assert.ok(
      afterKill.includes(`Promotion completed! Scaling down ${s.canaryId}`),
      `${survivor} finished the rollout; it logged:\n${afterKill.join('\n')}`,
    );
    // Each Event once (Perch counts a repeat on the same Event); "Waiting for ..." repeats by design.
    const c = await counts();
    const repeated = [...c].filter(([text, n]) => n > 1 && !text.startsWith('Waiting for'));
    assert.deepEqual(repeated, [], 'no Event recorded twice');
    for (const w of [5, 10, 15, 20, 25, 30, 35, 40, 45, 50]) {
      assert.equal(c.get(`Advance ${s.canaryId} canary weight ${w}`), 1, `weight ${w} advanced once`);
    }
  });

  it('rolls 6.0.2 back under /status/500 traffic, with a replacement worker', async () => {
    s.perch.start('worker', 'worker-3');
    const failed = await s.whenImageChangesUnderTraffic('6.0.2', '/status/500', 25, 'Failed');
    assert.equal(failed.status?.canaryWeight, 0);
    const all = messages();
    const problem = inOrder(all.slice(all.lastIndexOf(`New revision detected! Scaling up ${s.canaryId}`)), [
      /^Halt podinfo\.production-temporal advancement success rate \d+(\.\d+)?% < 99%$/,
      'Rolling back podinfo.production-temporal failed checks threshold reached 5',
      'Canary failed! Scaling down podinfo.production-temporal',
    ]);
    assert.equal(problem, undefined, problem);
    const c = await counts();
    assert.equal(c.get(`New revision detected! Scaling up ${s.canaryId}`), 2, 'one per rollout');
    assert.equal(c.get(`Rolling back ${s.canaryId} failed checks threshold reached 5`), 1);
    assert.equal(c.get(`Canary failed! Scaling down ${s.canaryId}`), 1);
    assert.equal(c.get(`Promotion completed! Scaling down ${s.canaryId}`), 1);
    assert.deepEqual(await s.weights(), [100, 0]);
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.1');
  });

  it('keeps each rollout as one closed run, found by its outcome; figures of its history', async () => {
    const client = await s.client();
    const workflowId = canaryWorkflowId(s.namespace, 'podinfo');
    for (const outcome of ['Succeeded', 'Failed']) {
      // Visibility is written after the run closes, so the first lists may not show it yet.
      const runId = await eventually(`the ${outcome} run in visibility`, 60_000, async () => {
        for await (const wf of client.workflow.list({ query: `WorkflowId = "${workflowId}" AND RolloutOutcome = "${outcome}"` })) return wf.runId;
        return undefined;
      });
      const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
      const events = history.events ?? [];
      assert.equal(
        events.at(-1)?.eventType,
        temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
        'the rollout ended its run',
      );
      const bytes = temporal.api.history.v1.History.encode(history).finish().length;
      console.log(`# ${outcome} rollout's run: ${events.length} history events, ${(bytes / 1024).toFixed(1)} KiB (protobuf)`);
    }
  });
});
