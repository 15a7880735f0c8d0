// One seed Canary in its own namespace, rolled out again and again with a fault injected into each
// rollout. A fault is a function that makes the rollout's change itself (so it can strike before,
// at or after it) and says when each disturbance ended; the rollout is then judged by the shared
// invariants (invariants.ts) and the time from each disturbance's end to the rollout's next step
// forward is its recovery time.
//
// Test override besides the seed's intervals (test/support/seed.ts): the load test runs for one
// interval (`hey -z 5s`) instead of one minute, so the loads of successive intervals do not pile up
// (twelve at once per Canary) while several faulted rollouts share two cores.
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';
import { type Canary, CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../../src/api/canary';
import { parseDurationMs } from '../../src/api/duration';
import { type CanaryRef } from '../../src/rollout/names';
import { canaryEventCounts } from '../support/events';
import { Scenario } from '../support/scenario';
import { eventually } from '../support/stack';
import { applySeed, seedCanary, TEST_INTERVALS } from '../support/seed';
import { assertInvariants, assertRolledBack, type Subject } from './invariants';
import { RolloutObserver } from './observer';

export interface FaultContext {
  readonly scenario: FaultScenario;
  /** Makes the rollout's change (a new image); call it exactly once. Answers when it was made. */
  change(): Promise<number>;
  /** Resolves once the Canary's status in this rollout satisfies `probe` (seen through the observer's watch). */
  until(what: string, probe: (status: NonNullable<Canary['status']>) => boolean, timeoutMs?: number): Promise<void>;
}

export interface FaultReport {
  /** When each disturbance ended: the part back, the process restarted, the receiver well again. */
  recovered: number[];
  /** A line about the fault for the report (e.g. the kill points). */
  detail?: string;
}

export type Fault = (ctx: FaultContext) => Promise<FaultReport>;

export interface FaultResult {
  fault: string;
  /** Seconds from each disturbance's end to the rollout's next step forward. */
  recoverySeconds: number[];
  /** Seconds from the change to the promotion (NaN: the rollout did not end in one). */
  rolloutSeconds: number;
  detail?: string;
}

const OUTCOME_TIMEOUT_MS = 8 * 60_000;
/**
 * The target's (and so the primary's) progress deadline: Kubernetes' default, not the seed's 60 s.
 * The shared parts' outages reach every Canary, and the apiserver's 30 s stops the Deployment
 * controller for longer than that: a primary that was rolling out then exceeds 60 s, Kubernetes
 * says so, and the promotion is rolled back, as Flagger's would be. That is the cluster's verdict on
 * an outage another Canary's fault made, not something these Canaries' invariants are about.
 */
const TARGET_PROGRESS_DEADLINE_SECONDS = 600;
const POLL_MS = 200;
/**
 * How long the suite's own reads and writes wait out a part that is away: the longest outage the
 * shared parts' faults make (the apiserver's 30 s, Temporal's at the change) with room for a restart.
 */
const OUTAGE_MS = 120_000;

/** `fn` retried until it answers: another rollout's fault may have taken the part it talks to away. */
function throughOutages<T>(what: string, fn: () => Promise<T>): Promise<T> {
  return eventually(what, OUTAGE_MS, async () => ({ value: await fn() })).then((r) => r.value);
}

export class FaultScenario implements Subject {
  readonly s: Scenario;
  readonly observer: RolloutObserver;
  readonly canarySpec: Canary;
  readonly analysis: Subject['analysis'];
  private rollouts = 0;

  /** `adapt` changes the seed Canary before it is applied (e.g. a webhook of the test's own). */
  constructor(namespace: string, adapt: (canary: Canary) => void = () => undefined) {
    this.s = new Scenario(namespace);
    this.observer = new RolloutObserver(this.s.kc, namespace);
    this.canarySpec = seedCanary(TEST_INTERVALS, namespace);
    adapt(this.canarySpec);
    const a = this.canarySpec.spec.analysis;
    for (const hook of a.webhooks ?? []) {
      if (hook.metadata?.cmd) hook.metadata.cmd = hook.metadata.cmd.replace(/-z \S+/, `-z ${TEST_INTERVALS.analysis}`);
    }
    this.analysis = {
      intervalMs: parseDurationMs(a.interval ?? '') ?? NaN,
      stepWeight: a.stepWeight ?? NaN,
      maxWeight: a.maxWeight ?? NaN,
      threshold: a.threshold ?? NaN,
      preRolloutHooks: (a.webhooks ?? []).filter((h) => h.type === 'pre-rollout').map((h) => h.name),
    };
  }

  get kc(): k8s.KubeConfig {
    return this.s.kc;
  }

  get namespace(): string {
    return this.s.namespace;
  }

  get ref(): CanaryRef {
    return { name: 'podinfo', namespace: this.namespace, targetName: 'podinfo' };
  }

  async setUp(): Promise<void> {
    await this.s.given((s) =>
      applySeed(s.kc, s.namespace, this.canarySpec, (d) => {
        if (d.spec) d.spec.progressDeadlineSeconds = TARGET_PROGRESS_DEADLINE_SECONDS;
      }),
    );
    await this.s.thenPhase('Initialized', { timeoutMs: 300_000 });
    await this.observer.start();
  }

  async tearDown(): Promise<void> {
    await this.observer.stop();
    await this.s.tearDown();
  }

  workflow(): Promise<WorkflowHandle> {
    return this.s.workflow();
  }

  describe(): Promise<WorkflowExecutionDescription> {
    return throughOutages('the workflow', async () => (await this.s.workflow()).describe());
  }

  canary(): Promise<Canary> {
    return throughOutages('the Canary', () => this.s.canary());
  }

  primaryImage(): Promise<string | undefined> {
    return throughOutages("the primary's image", () => this.s.primaryImage());
  }

  eventCounts(): Promise<Map<string, number>> {
    return throughOutages("the Canary's Events", () => canaryEventCounts(this.kc, this.namespace, 'podinfo'));
  }

  /**
   * Rolls a new image out under `fault`, checks the invariants of the outcome `expected` (a fault
   * that fails the canary's checks expects the rollback) and measures the recovery.
   */
  async rollout(name: string, fault: Fault, expected: 'Succeeded' | 'Failed' = 'Succeeded'): Promise<FaultResult> {
    this.rollouts++;
    const image = `ghcr.io/stefanprodan/podinfo:6.1.${this.rollouts}`;
    const eventsBefore = await this.eventCounts();
    const revisionBefore = (await this.canary()).status?.lastAppliedSpec;
    const previousImage = (await this.primaryImage()) ?? '';
    let made: ((at: number) => void) | undefined;
    const changed = new Promise<number>((resolve) => {
      made = resolve;
    });
    const ctx: FaultContext = {
      scenario: this,
      change: async () => {
        const at = await throughOutages('the new image set', () => this.s.whenImageChanges(image.split(':')[1] ?? ''));
        made?.(at);
        return at;
      },
      until: (what, probe, timeoutMs = OUTCOME_TIMEOUT_MS) =>
        this.until(
          what,
          (st) => {
            if (st.lastAppliedSpec === revisionBefore) return false;
            if (probe(st)) return true;
            // Rolled back before the fault's moment: said at once, not after the whole wait.
            if (st.phase === 'Failed') throw new Error(`the rollout failed before ${what}: ${this.s.messages().slice(-4).join('; ')}`);
            return false;
          },
          timeoutMs,
        ),
    };
    const faulted = fault(ctx);
    // The fault's own failure is reported below, after the outcome wait, not as an unhandled rejection.
    faulted.catch(() => undefined);
    const since = await Promise.race([
      changed,
      faulted.then(() => {
        throw new Error(`fault ${name} ended without making its change`);
      }),
    ]);
    let ended = 0;
    let outcomeError: Error | undefined;
    try {
      ended = await this.outcome(revisionBefore, expected);
    } catch (err) {
      outcomeError = err instanceof Error ? err : new Error(String(err));
    }
    // Always wait for the fault: it restores what it took down, whatever the rollout did.
    const report = await faulted;
    if (outcomeError !== undefined) throw outcomeError;
    // Each watch resumes on its own after an outage: the Canary's may show the end before the
    // HTTPProxy's shows the last write.
    await eventually('the watches caught up with the apiserver', OUTAGE_MS, async () => ((await this.observer.caughtUp()) ? true : undefined));
    const settled = Date.now();
    const run = { ref: this.ref, image, previousImage, since, ended, settled, eventsBefore, revisionBefore };
    await (expected === 'Succeeded' ? assertInvariants(this, run) : assertRolledBack(this, run));
    // A disturbance that ended once the rollout had (a kill in the promotion's last moment) leaves
    // nothing to recover: the invariants above judged what came after it.
    const endSeen =
      this.observer.canary.seen.find(
        (x) => x.at >= since && x.object.status?.lastAppliedSpec !== revisionBefore && x.object.status?.phase === expected,
      )?.at ?? ended;
    const during = report.recovered.filter((at) => at < endSeen);
    const recoverySeconds = during.map((at) => ((this.observer.progressAfter(at) ?? NaN) - at) / 1000);
    const afterEnd = report.recovered.length - during.length;
    const detail = [report.detail, afterEnd > 0 ? `${afterEnd} after the rollout had ended` : undefined].filter((d) => d !== undefined).join('; ');
    return { fault: name, recoverySeconds, rolloutSeconds: (ended - since) / 1000, ...(detail !== '' && { detail }) };
  }

  /**
   * Deletes the Canary once a new rollout has reached `weight`, then judges the end: the workflow
   * closes as completed (not failed, not left running), and from the deletion on the worker logs no
   * error, no failed workflow and no line that is not JSON (its warnings are reported, not judged). Answers the seconds from the deletion to the close.
   */
  async deletedMidRollout(weight: number): Promise<FaultResult> {
    const revisionBefore = (await this.canary()).status?.lastAppliedSpec;
    this.rollouts++;
    await throughOutages('the new image set', () => this.s.whenImageChanges(`6.1.${this.rollouts}`));
    await this.until(
      `canary weight ${weight}`,
      (st) => st.lastAppliedSpec !== revisionBefore && (st.canaryWeight ?? 0) >= weight,
      OUTCOME_TIMEOUT_MS,
    );
    const handle = await this.workflow();
    const { runId } = await this.describe();
    const linesBefore = this.s.perch.logLines('worker').length;
    const deleted = Date.now();
    await this.kc.makeApiClient(k8s.CustomObjectsApi).deleteNamespacedCustomObject({
      group: FLAGGER_GROUP,
      version: FLAGGER_VERSION,
      plural: CANARY_PLURAL,
      namespace: this.namespace,
      name: 'podinfo',
    });
    // The run that was rolling out, or the one it continued as: the workflow id's latest run.
    const status = await eventuallyClosed(handle, 3 * this.analysis.intervalMs + 60_000);
    const closed = Date.now();
    assert.equal(status, 'COMPLETED', `the workflow (run ${runId} or its continuation) after the Canary was deleted`);
    const said = this.s.perch.logLines('worker').slice(linesBefore);
    const wrong = said.filter((l) => l.record === undefined || l.record.level === 'error' || l.record.msg === 'Workflow failed');
    assert.deepEqual(
      wrong.map((l) => l.text),
      [],
      'after the deletion the worker logged no error, no failed workflow and no line that is not JSON',
    );
    const warnings = said.filter((l) => l.record?.level === 'warn').map((l) => l.record?.msg);
    return {
      fault: 'Canary deleted mid-rollout',
      recoverySeconds: [(closed - deleted) / 1000],
      rolloutSeconds: NaN,
      detail: `deleted at canary weight >= ${weight}; the workflow closed ${status}; ${warnings.length} warnings after: ${JSON.stringify(warnings)}`,
    };
  }

  /** When the Canary, past `revisionBefore`, was seen in the `expected` end; the other end fails at once. */
  private async outcome(revisionBefore: string | undefined, expected: 'Succeeded' | 'Failed'): Promise<number> {
    const deadline = Date.now() + OUTCOME_TIMEOUT_MS;
    for (;;) {
      const status = this.observer.canary.latest()?.status;
      if (status?.lastAppliedSpec !== revisionBefore) {
        if (status?.phase === expected) return Date.now();
        if (status?.phase === 'Failed' || status?.phase === 'Succeeded') {
          throw new Error(
            `the rollout ended ${status.phase}, not ${expected}: ${status.conditions?.map((c) => c.message).join('; ') ?? ''}; last Events:\n  ${this.s.messages().slice(-8).join('\n  ')}`,
          );
        }
      }
      if (Date.now() > deadline) {
        throw new Error(`no outcome within ${OUTCOME_TIMEOUT_MS} ms: phase ${status?.phase ?? '?'}, weight ${status?.canaryWeight ?? '?'}`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private async until(what: string, probe: (status: NonNullable<Canary['status']>) => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = this.observer.canary.latest()?.status;
      if (status !== undefined && probe(status)) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}

/** Waits until the workflow's latest run is no longer running; answers how it closed. */
async function eventuallyClosed(handle: WorkflowHandle, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Unknown while Temporal is away (another rollout's fault): asked again.
    const status = await handle.describe().then(
      (d) => d.status.name,
      () => undefined,
    );
    if (status !== undefined && status !== 'RUNNING') return status;
    if (Date.now() > deadline) throw new Error(`the workflow still runs ${timeoutMs} ms after the Canary was deleted`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** The recovery times of a result as one line. */
export function describeResult(r: FaultResult): string {
  const rec = r.recoverySeconds.map((s) => s.toFixed(1));
  const max = Math.max(...r.recoverySeconds);
  const rollout = Number.isNaN(r.rolloutSeconds) ? '' : `; rollout ${r.rolloutSeconds.toFixed(1)} s`;
  const recovery = rec.length === 0 ? 'none to make' : rec.length === 1 ? `${rec[0]} s` : `${rec.join(', ')} s (max ${max.toFixed(1)} s)`;
  return `${r.fault}: recovery ${recovery}` + `${rollout}${r.detail ? `; ${r.detail}` : ''}`;
}
