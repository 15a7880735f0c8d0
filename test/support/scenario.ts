// One seed scenario in its own namespace: the seed's resources, Perch's worker and watcher as
// processes, and the moves a user makes (set image, send load, signal the workflow).
import * as k8s from '@kubernetes/client-node';
import { Client, Connection } from '@temporalio/client';
import { type Canary, type CanaryPhase } from '../../src/api/canary';
import { canaryWorkflowId, type RolloutView, stateQuery } from '../../src/workflows/messages';
import { getCanary, waitForPhase } from './canaries';
import { installCrds } from './crds';
import { HTTPProxies } from './httpproxies';
import { Perch } from './perch';
import { applySeed, seedHost } from './seed';
import { eventually, kubeConfig } from './stack';
import { startTraffic, type Traffic } from './traffic';

export class Scenario {
  readonly kc = kubeConfig();
  readonly apps = this.kc.makeApiClient(k8s.AppsV1Api);
  readonly core = this.kc.makeApiClient(k8s.CoreV1Api);
  readonly proxies = new HTTPProxies(this.kc);
  readonly perch: Perch;
  private connection: Connection | undefined;

  /** `perchEnv` goes to Perch's processes (e.g. KUBECONFIG of a ServiceAccount, for RBAC tests). */
  constructor(readonly namespace: string, perchEnv: NodeJS.ProcessEnv = {}) {
    this.perch = new Perch(namespace, perchEnv);
  }

  get canaryId(): string {
    return `podinfo.${this.namespace}`;
  }

  /**
   * A fresh namespace with the seed applied, and Perch running until `Initialized`. `beforePerch`
   * runs once the namespace exists, before Perch starts (e.g. installing Perch's RBAC into it).
   */
  async setUp(apply: (s: Scenario) => Promise<void> = (s) => applySeed(s.kc, s.namespace), beforePerch?: () => Promise<void>): Promise<void> {
    await installCrds(this.kc);
    await this.core.deleteNamespace({ name: this.namespace }).catch(() => undefined);
    await eventually(`namespace ${this.namespace} gone`, 120_000, async () =>
      (await this.core.readNamespace({ name: this.namespace }).then(() => false, () => true)) ? true : undefined);
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
      if (wf.status.name === 'RUNNING') await client.workflow.getHandle(wf.workflowId, wf.runId).terminate('a new test run').catch(() => undefined);
      await client.workflowService.deleteWorkflowExecution({
        namespace: client.options.namespace, workflowExecution: { workflowId: wf.workflowId, runId: wf.runId },
      }).catch(() => undefined);
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

  async client(): Promise<Client> {
    this.connection ??= await Connection.connect({ address: this.perch.temporalAddress });
    return new Client({ connection: this.connection });
  }

  async workflow() {
    return (await this.client()).workflow.getHandle(canaryWorkflowId(this.namespace, 'podinfo'));
  }

  async view(): Promise<RolloutView> {
    return (await this.workflow()).query(stateQuery);
  }

  /** `kubectl set image deployment/podinfo podinfod=...:<tag>`; returns when it was done. */
  async setImage(tag: string): Promise<number> {
    await this.apps.patchNamespacedDeployment({
      name: 'podinfo', namespace: this.namespace,
      body: { spec: { template: { spec: { containers: [{ name: 'podinfod', image: `ghcr.io/stefanprodan/podinfo:${tag}` }] } } } },
    }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch));
    return Date.now();
  }

  canary(): Promise<Canary> {
    return getCanary(this.kc, this.namespace, 'podinfo');
  }

  waitForPhase(phase: CanaryPhase, timeoutMs = 300_000): Promise<Canary> {
    return waitForPhase(this.kc, this.namespace, 'podinfo', phase, timeoutMs);
  }

  /** Waits until a rollout that began after `since` is progressing with at least `weight`. */
  waitForWeight(weight: number, since: number, timeoutMs = 120_000): Promise<Canary> {
    return eventually(`canary weight >= ${weight}`, timeoutMs, async () => {
      const c = await this.canary();
      const began = Date.parse(c.status?.lastTransitionTime ?? '') >= since - 1000;
      return began && c.status?.phase === 'Progressing' && (c.status.canaryWeight ?? 0) >= weight ? c : undefined;
    });
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

  /** Sets the image while `rps` requests a second go to `path`; answers the Canary once in `phase`. */
  async setImageUnderTraffic(tag: string, path: string, rps: number, phase: CanaryPhase): Promise<Canary> {
    const traffic = this.traffic(path, rps);
    try {
      await this.setImage(tag);
      return await this.waitForPhase(phase);
    } finally {
      await traffic.stop();
    }
  }

  messages(): string[] {
    return this.perch.logMessages(this.canaryId);
  }
}
