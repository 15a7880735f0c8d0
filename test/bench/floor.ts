// The floor under Perch's CPU per rollout: what the workflow and Temporal's machinery cost with no
// Kubernetes, HTTP or watcher at all. The real canaryWorkflow runs in the bench's own process, on
// the stack's Temporal dev server, against the fake cluster's in-memory activities, through the
// seed's two rollouts (10 steps promoted, then rolled back after 5 failed checks). The process's
// CPU over them is the part of the seed's "CPU for the two rollouts" that no faster client could
// remove (docs/performance.md, "What bounds CPU").
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { type Bench } from './context';
import { type NothingActivities, type ticksWorkflow } from './fixtures/ticks-workflow';
import { median as medianOf } from './stats';
import { FakeRollout, quickCanary } from '../support/fake-rollout';
import { stack } from '../support/stack';

const EventType = temporal.api.enums.v1.EventType;

export interface FloorRound {
  /** CPU of this process (Node's threads and the SDK core's) for the two rollouts, in seconds. */
  cpuSeconds: number;
  /** From the rollouts' histories: workflow tasks completed, activity tasks completed, local activities (markers). */
  workflowTasks: number;
  activities: number;
  localActivities: number;
  events: number;
}

/** Temporal's machinery alone, for one number of local activities per workflow task. */
export interface MachineryRun {
  callsPerTick: number;
  /** The median of the counted rounds, in seconds. */
  cpuSeconds: number;
}

/**
 * A workflow of nothing but ticks, as many as the rollouts' workflow tasks, at the same interval:
 * with no local activity, with one per tick (the leanest a step could be) and with as many as the
 * rollouts had on average.
 */
export interface Machinery {
  ticks: number;
  runs: MachineryRun[];
}

export interface FloorResult {
  intervalS: number;
  /** Counted rounds, fastest first; the first round, which warms the worker, is left out. */
  rounds: FloorRound[];
  median: FloorRound;
  /** Absent from runs recorded before it was measured. */
  machinery?: Machinery;
}

/** What the histories of the rollout's workflow (every run) record from `since` on. */
async function historyCost(r: FakeRollout, since: Date): Promise<Omit<FloorRound, 'cpuSeconds'>> {
  const cost = { workflowTasks: 0, activities: 0, localActivities: 0, events: 0 };
  if (r.handle === undefined) return cost;
  const { client, workflowId } = r.handle;
  for await (const run of client.list({ query: `WorkflowId = '${workflowId}'` })) {
    for (const e of (await client.getHandle(run.workflowId, run.runId).fetchHistory()).events ?? []) {
      if (Number(e.eventTime?.seconds ?? 0) * 1000 < since.getTime()) continue;
      cost.events++;
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) cost.workflowTasks++;
      if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) cost.activities++;
      if (e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED) cost.localActivities++;
    }
  }
  return cost;
}

async function round(env: TestWorkflowEnvironment, intervalS: number, n: number): Promise<FloorRound> {
  const r = new FakeRollout(
    quickCanary(`bench-floor-${Date.now().toString(36)}-${n}`, (a) => {
      a.interval = `${intervalS}s`;
      a.stepWeight = 5;
      a.maxWeight = 50;
      a.threshold = 5;
    }),
  );
  let result: FloorRound | undefined;
  await r.run(env, async () => {
    // Whole seconds: the histories' event times are compared at that grain.
    const since = new Date(Math.floor(Date.now() / 1000) * 1000);
    const before = process.cpuUsage();
    await r.setImage('6.0.1');
    await r.waitForPhase('Succeeded', 300_000);
    r.fake.metrics = () => 50; // a 50% success rate: every check fails
    await r.setImage('6.0.2');
    await r.waitForPhase('Failed', 300_000);
    const used = process.cpuUsage(before);
    result = { cpuSeconds: (used.user + used.system) / 1e6, ...(await historyCost(r, since)) };
    // No worker polls its queue after this round: leave no workflow running on the stack's server.
    await r.handle?.terminate('bench floor: round measured');
  });
  if (result === undefined) throw new Error('the floor rollouts did not run');
  return result;
}

/** CPU of the ticks workflow beside the floor's `like`, each variant `rounds` times once a short run has warmed the worker. */
async function machinery(env: TestWorkflowEnvironment, intervalS: number, rounds: number, like: FloorRound): Promise<Machinery> {
  const ticks = like.workflowTasks;
  const variants = [...new Set([0, 1, Math.round(like.localActivities / Math.max(1, ticks))])];
  const logger = new DefaultLogger('WARN');
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./fixtures/ticks-workflow'), logger });
  const taskQueue = `bench-ticks-${Date.now().toString(36)}`;
  const activities: NothingActivities = { nothing: () => Promise.resolve() };
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: { code }, activities });
  let runsStarted = 0;
  const cpuOf = async (args: Parameters<typeof ticksWorkflow>): Promise<number> => {
    const before = process.cpuUsage();
    await env.client.workflow.execute<typeof ticksWorkflow>('ticksWorkflow', { taskQueue, workflowId: `${taskQueue}-${runsStarted++}`, args });
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1e6;
  };
  const runs: MachineryRun[] = [];
  await worker.runUntil(async () => {
    await cpuOf([3, Math.max(...variants), intervalS * 1000]);
    for (const calls of variants) {
      const counted: number[] = [];
      for (let n = 0; n < rounds; n++) counted.push(await cpuOf([ticks, calls, intervalS * 1000]));
      runs.push({ callsPerTick: calls, cpuSeconds: medianOf(counted) ?? Number.NaN });
    }
  });
  return { ticks, runs };
}

/** `rounds` counted rounds after one that warms the worker; intervals of `intervalS` (the CPU hardly depends on it). */
export async function floorScenario(bench: Bench, rounds = 3, intervalS = 1): Promise<FloorResult> {
  try {
    // Quiet the SDK's own lines; the runtime may already be installed (one per process).
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Installed before: its logger stays.
  }
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address: stack().temporal });
  try {
    const all: FloorRound[] = [];
    for (let n = 0; n <= rounds; n++) {
      all.push(await round(env, intervalS, n));
      bench.say(`floor: round ${n}${n === 0 ? ' (warm-up)' : ''}: ${all[n]?.cpuSeconds.toFixed(2)} s of CPU`);
    }
    const counted = all.slice(1).sort((a, b) => a.cpuSeconds - b.cpuSeconds);
    const median = counted[Math.floor((counted.length - 1) / 2)];
    if (median === undefined) throw new Error('the floor needs at least one counted round');
    const alone = await machinery(env, intervalS, rounds, median);
    for (const m of alone.runs)
      bench.say(`floor: ${alone.ticks} ticks, ${m.callsPerTick} local activities each: ${m.cpuSeconds.toFixed(2)} s of CPU`);
    return { intervalS, rounds: counted, median, machinery: alone };
  } finally {
    await env.teardown();
  }
}
