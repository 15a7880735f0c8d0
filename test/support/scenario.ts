// One seed scenario in its own namespace, in Given/When/Then steps (as Argo Rollouts' test/fixtures):
//   Given  the seed (or other objects) in a fresh namespace, with Perch's worker and watcher running;
//   When   a user acts: changes the image, edits the Canary, signals the workflow;
//   Then   a fact holds: a phase, a weight, the workflow waiting for nothing but a signal.
// Every Then waits for a fact (the Canary's status, the workflow's state query or its history), never
// for wall-clock time. A rollout is told from earlier ones by when its change was made (`since`, the
// number a When returns): the workflow's query answers when the rollout under way began
// (rolloutStartedAt), and that rollout's Events carry it (annotation perch.dev/rollout).
import * as k8s from '@kubernetes/client-node';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { type SignalDefinition } from '@temporalio/common';
import { type Canary, CANARY_PLURAL, type CanaryPhase, FLAGGER_GROUP, FLAGGER_VERSION } from '../../src/api/canary';
import { ROLLOUT_ANNOTATION } from '../../src/activities/status/event-writer';
import { canaryWorkflowId, type RolloutView, stateQuery } from '../../src/workflows/messages';
import assert from 'node:assert/strict';
import { getCanary, waitForPhase } from './canaries';
import { canaryEvents } from './events';
import { installCrds } from './crds';
import { HTTPProxies } from './httpproxies';
import { Perch } from './perch';
import { applySeed, seedHost } from './seed';
import { eventually, kubeConfig } from './stack';
import { startTraffic, type Traffic } from './traffic';
import { completedActivities, type HistoryEvent, noneInFlight, waitsOnlyForSignals } from './workflow-history';

const TERMINAL: readonly CanaryPhase[] = ['Succeeded', 'Failed'];

/** When the rollout the view shows (under way, else the last one) began, in ms; undefined before the first. */
export function rolloutBegan(v: RolloutView): number | undefined {
  const at = v.rolloutStartedAt ?? v.lastRollout?.startedAt;
  return at === undefined || at === '' ? undefined : Date.parse(at);
}

export class Scenario {
  readonly kc = kubeConfig();
  readonly apps = this.kc.makeApiClient(k8s.AppsV1Api);
  readonly core = this.kc.makeApiClient(k8s.CoreV1Api);
  readonly custom = this.kc.makeApiClient(k8s.CustomObjectsApi);
  readonly proxies = new HTTPProxies(this.kc);
  readonly perch: Perch;
  private connection: Connection | undefined;

  /** `perchEnv` goes to Perch's processes (e.g. KUBECONFIG of a ServiceAccount, for RBAC tests). */
  constructor(
    readonly namespace: string,
    perchEnv: NodeJS.ProcessEnv = {},
  ) {
    this.perch = new Perch(namespace, perchEnv);
  }

  get canaryId(): string {
    return `podinfo.${this.namespace}`;
  }

  // Given

  /**
   * Given a fresh namespace with `apply`'s objects (the seed by default) and Perch running.
   * `beforePerch` runs once the namespace exists, before Perch starts (e.g. installing Perch's RBAC).
   */
  async given(apply: (s: Scenario) => Promise<void> = (s) => applySeed(s.kc, s.namespace), beforePerch?: () => Promise<void>): Promise<void> {
    await installCrds(this.kc);
    await this.core.deleteNamespace({ name: this.namespace }).catch(() => undefined);
    await eventually(`namespace ${this.namespace} gone`, 120_000, async () =>
      (await this.core.readNamespace({ name: this.namespace }).then(
        () => false,
        () => true,
      ))
        ? true
        : undefined,
    );
    await this.core.createNamespace({ body: { metadata: { name: this.namespace } } });
    await this.forgetEarlierRuns();
    await beforePerch?.();
    this.perch.start('worker');
    this.perch.start('watcher');
    await apply(this);
  }

  /**
   * Deletes what earlier runs of this test left in Temporal for this namespace's canaries, so a
   * test that reads a canary's past runs (history, outcomes) sees only its own.
   */
  private async forgetEarlierRuns(): Promise<void> {
    const client = await this.client();
    const query = `WorkflowId STARTS_WITH "canary/${this.namespace}/"`;
    for await (const wf of client.workflow.list({ query })) {
      if (wf.status.name === 'RUNNING')
        await client.workflow
          .getHandle(wf.workflowId, wf.runId)
          .terminate('a new test run')
          .catch(() => undefined);
      await client.workflowService
        .deleteWorkflowExecution({
          namespace: client.options.namespace,
          workflowExecution: { workflowId: wf.workflowId, runId: wf.runId },
        })
        .catch(() => undefined);
    }
    await eventually(`earlier runs of canary/${this.namespace}/* deleted`, 60_000, async () => {
      for await (const wf of client.workflow.list({ query })) return wf.workflowId === '' ? true : undefined;
      return true;
    });
  }

  async tearDown(): Promise<void> {
    await this.perch.stop();
    await this.connection?.close();
    await this.core.deleteNamespace({ name: this.namespace }).catch(() => undefined);
  }

  // When

  /** When `kubectl set image deployment/podinfo podinfod=...:<tag>`; returns `since`: when it was done. */
  whenImageChanges(tag: string): Promise<number> {
    return this.whenTargetChanges({
      spec: { template: { spec: { containers: [{ name: 'podinfod', image: `ghcr.io/stefanprodan/podinfo:${tag}` }] } } },
    });
  }

  /** When the target Deployment is patched (strategic merge); returns `since`, taken before the change. */
  async whenTargetChanges(body: object, name = 'podinfo'): Promise<number> {
    const since = Date.now();
    await this.apps.patchNamespacedDeployment(
      { name, namespace: this.namespace, body },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    return since;
  }

  /** Changes the image while `rps` requests a second go to `path`; answers the Canary once the rollout is in `phase`. */
  async whenImageChangesUnderTraffic(tag: string, path: string, rps: number, phase: CanaryPhase): Promise<Canary> {
    const traffic = this.traffic(path, rps);
    try {
      return await this.thenPhase(phase, { since: await this.whenImageChanges(tag) });
    } finally {
      await traffic.stop();
    }
  }

  /**
   * When the Canary's spec is edited by `edit`: returns once the workflow acts on the new spec (its
   * state query answers the new generation). Not status.observedGeneration: deploy/crds/canary.yaml
   * (Flagger's schema) has no such field, so the API server drops it from every status write.
   */
  async whenSpecChanges(edit: (c: Canary) => void, name = 'podinfo'): Promise<Canary> {
    const at = { group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL, namespace: this.namespace, name };
    const c = (await this.custom.getNamespacedCustomObject(at)) as Canary;
    edit(c);
    const replaced = (await this.custom.replaceNamespacedCustomObject({ ...at, body: c })) as Canary;
    const generation = replaced.metadata.generation ?? 0;
    await eventually(`the workflow to act on generation ${generation} of ${name}`, 60_000, async () =>
      ((await this.view(name)).generation ?? 0) >= generation ? true : undefined,
    );
    return getCanary(this.kc, this.namespace, name);
  }

  /** When the workflow is signalled: returns once a workflow task after the signal completed (it was taken in). */
  async whenSignalled<A extends unknown[]>(signal: SignalDefinition<A>, ...args: A): Promise<void> {
    const wf = await this.workflow();
    const signalled = (events: readonly HistoryEvent[]) =>
      events.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === signal.name).length;
    const before = signalled(await this.history());
    await wf.signal(signal, ...args);
    await eventually(`the workflow to take the ${signal.name} signal`, 60_000, async () => {
      const events = await this.history();
      const last = events.findLastIndex((e) => e.workflowExecutionSignaledEventAttributes?.signalName === signal.name);
      const taken = signalled(events) > before && events.slice(last).some((e) => e.workflowTaskCompletedEventAttributes);
      return taken ? true : undefined;
    });
  }

  // Then

  /** Then Canary `name` is refused: Promoted False/Invalid with a message matching `pattern`, and a Warning Event saying so. */
  async thenInvalid(name: string, pattern: RegExp): Promise<void> {
    const c = await eventually(`${name} marked invalid`, 60_000, async () => {
      const got = await getCanary(this.kc, this.namespace, name);
      return got.status?.conditions?.some((x) => x.reason === 'Invalid') ? got : undefined;
    });
    const condition = c.status?.conditions?.find((x) => x.type === 'Promoted');
    assert.equal(condition?.status, 'False');
    assert.match(condition?.message ?? '', pattern);
    const events = await canaryEvents(this.kc, this.namespace, name);
    assert.ok(
      events.some((e) => pattern.test(e)),
      events.join('\n'),
    );
  }

  /**
   * Then the Canary's phase is `phase`. With `since`, of the rollout begun after it (the query says
   * so), and for Succeeded or Failed once that rollout ended (its post-rollout hooks and alerts done);
   * Waiting, before any rollout began after it.
   */
  async thenPhase(phase: CanaryPhase, { since, timeoutMs = 300_000 }: { since?: number; timeoutMs?: number } = {}): Promise<Canary> {
    if (since === undefined) return waitForPhase(this.kc, this.namespace, 'podinfo', phase, timeoutMs);
    await eventually(`phase ${phase} of the rollout begun after ${new Date(since).toISOString()}`, timeoutMs, async () => {
      const v = await this.view();
      const began = rolloutBegan(v) ?? 0;
      const ours = TERMINAL.includes(phase)
        ? v.rolloutStartedAt === undefined && begunSince(began, since)
        : // Waiting for confirm-rollout comes before the rollout begins: none begun since.
          phase === 'Waiting'
          ? !begunSince(began, since)
          : v.rolloutStartedAt !== undefined && begunSince(began, since);
      return v.phase === phase && ours ? true : undefined;
    });
    return this.canary();
  }

  /** Then the rollout begun after `since` is progressing with at least `weight`. */
  async thenWeight(weight: number, since: number, timeoutMs = 120_000): Promise<Canary> {
    await eventually(`canary weight >= ${weight}`, timeoutMs, async () => {
      const v = await this.view();
      const ours = v.rolloutStartedAt !== undefined && begunSince(Date.parse(v.rolloutStartedAt), since);
      return ours && v.phase === 'Progressing' && v.canaryWeight >= weight ? true : undefined;
    });
    return this.canary();
  }

  /** Then the rollout begun after `since` is progressing in at least its `n`th iteration (A/B testing, blue/green). */
  async thenIteration(n: number, since: number, timeoutMs = 120_000): Promise<Canary> {
    await eventually(`iteration ${n}`, timeoutMs, async () => {
      const v = await this.view();
      const ours = v.rolloutStartedAt !== undefined && begunSince(Date.parse(v.rolloutStartedAt), since);
      return ours && v.phase === 'Progressing' && v.iterations >= n ? true : undefined;
    });
    return this.canary();
  }

  /**
   * Then the workflow of Canary `name` waits for nothing but a signal: no activity, timer or task in
   * flight, so nothing happens until something changes. Answers its state query.
   */
  async thenIdle(name = 'podinfo', timeoutMs = 60_000): Promise<RolloutView> {
    await eventually(`the workflow of ${name} to wait only for signals`, timeoutMs, async () =>
      waitsOnlyForSignals(await this.history(name)) ? true : undefined,
    );
    return this.view(name);
  }

  /** Then webhook `hook` has been called (and answered) at least `times` times in the workflow's current run. */
  async thenHookCalled(hook: string, times: number, timeoutMs = 120_000): Promise<number> {
    const named = (input: unknown) => (input as { hook?: { name?: string } } | undefined)?.hook?.name === hook;
    return eventually(`webhook ${hook} called ${times} times`, timeoutMs, async () => {
      const n = completedActivities(await this.history(), 'callWebhook', named);
      return n >= times ? n : undefined;
    });
  }

  /** Then every alert the workflow has sent so far was delivered: no sendAlert activity in flight. */
  async thenAlertsSent(timeoutMs = 60_000): Promise<void> {
    await eventually('every alert sent', timeoutMs, async () => (noneInFlight(await this.history(), 'sendAlert') ? true : undefined));
  }

  // What the test reads

  async client(): Promise<Client> {
    this.connection ??= await Connection.connect({ address: this.perch.temporalAddress });
    return new Client({ connection: this.connection });
  }

  async workflow(name = 'podinfo'): Promise<WorkflowHandle> {
    return (await this.client()).workflow.getHandle(canaryWorkflowId(this.namespace, name));
  }

  async view(name = 'podinfo'): Promise<RolloutView> {
    return (await this.workflow(name)).query(stateQuery);
  }

  /** The events of the workflow's current run. */
  async history(name = 'podinfo'): Promise<HistoryEvent[]> {
    return (await (await this.workflow(name)).fetchHistory()).events ?? [];
  }

  canary(): Promise<Canary> {
    return getCanary(this.kc, this.namespace, 'podinfo');
  }

  /**
   * The texts of the Canary's Kubernetes Events that last occurred in a rollout begun after `since`
   * (by their perch.dev/rollout annotation), in the order they last occurred. Identical texts are one
   * Event with a count, so a text repeated across rollouts shows once, in its last rollout.
   */
  async rolloutEvents(since: number): Promise<string[]> {
    const list = await this.core.listNamespacedEvent({
      namespace: this.namespace,
      fieldSelector: 'involvedObject.kind=Canary,involvedObject.name=podinfo',
    });
    const rollout = (e: k8s.CoreV1Event) => Date.parse(e.metadata.annotations?.[ROLLOUT_ANNOTATION] ?? '');
    const last = (e: k8s.CoreV1Event) => new Date(e.lastTimestamp ?? e.eventTime ?? 0).getTime();
    return list.items
      .filter((e) => begunSince(rollout(e), since))
      .sort((a, b) => last(a) - last(b) || Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
      .map((e) => e.message ?? '');
  }

  /** Primary and canary weights of the generated HTTPProxy (an omitted weight is 0, as for Contour). */
  async weights(): Promise<number[]> {
    return (await this.proxies.get(this.namespace, 'podinfo')).spec.routes?.[0]?.services?.map((s) => s.weight ?? 0) ?? [];
  }

  async primaryImage(): Promise<string | undefined> {
    const d = await this.apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: this.namespace });
    return d.spec?.template.spec?.containers[0]?.image;
  }

  traffic(path: string, rps: number): Traffic {
    return startTraffic(seedHost(this.namespace), path, rps);
  }

  messages(): string[] {
    return this.perch.logMessages(this.canaryId);
  }
}

/**
 * A rollout's start (workflow time) against `since` (the test's clock, taken before its change).
 * Workflow time is the start of the workflow task: a look already under way when the change was
 * made can see it and begin the rollout with a start up to that task's length before `since`.
 */
const WORKFLOW_TASK_SKEW_MS = 5_000;
function begunSince(startedAt: number, since: number): boolean {
  return startedAt >= since - WORKFLOW_TASK_SKEW_MS;
}
