// The watcher as a process on the local stack, talking to the stack's Temporal through a TCP proxy
// the test cuts and restores (Temporal unreachable for the watcher alone). No worker runs: what
// the watcher is responsible for is the `reconcile` signal arriving in the Canary's workflow
// history, which Temporal records whether or not a worker ever picks the workflow up.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { type Canary, CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../../src/api/canary';
import { canaryWorkflowId } from '../../src/workflows/messages';
import { installCrds } from '../support/crds';
import { apply } from '../support/manifests';
import { createNamespace, deleteNamespace } from '../support/namespace';
import { Perch } from '../support/perch';
import { seedCanary } from '../support/seed';
import { eventually, kubeConfig, stack } from '../support/stack';
import { hostPort, TcpForwarder } from '../support/tcp-forwarder';
import { stackActivities } from '../activities/stack-activities';

const { inspectTarget } = stackActivities();

interface Reconcile {
  reason: string;
  generation?: number;
  revision?: string;
}

const kc = kubeConfig();
const apps = kc.makeApiClient(k8s.AppsV1Api);
const custom = kc.makeApiClient(k8s.CustomObjectsApi);

async function temporal(): Promise<Client> {
  return new Client({ connection: await Connection.connect({ address: stack().temporal }) });
}

/** The `reconcile` signals in the history of the Canary's workflow (every run), oldest first. */
async function reconciles(client: Client, namespace: string, name: string): Promise<Reconcile[]> {
  const out: Reconcile[] = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = "${canaryWorkflowId(namespace, name)}"` })) {
    const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    for (const e of history.events ?? []) {
      const a = e.workflowExecutionSignaledEventAttributes;
      const payload = a?.input?.payloads?.[0];
      if (a?.signalName === 'reconcile' && payload) out.push(defaultPayloadConverter.fromPayload<Reconcile>(payload));
    }
  }
  return out;
}

/** Waits until the Canary's workflow has a `reconcile` signal that `fact` accepts; returns it. */
function signalArrives(
  client: Client,
  namespace: string,
  name: string,
  what: string,
  fact: (r: Reconcile) => boolean,
  timeoutMs = 60_000,
): Promise<Reconcile> {
  return eventually(`${what} in canary/${namespace}/${name}`, timeoutMs, async () => (await reconciles(client, namespace, name)).find(fact));
}

async function createTarget(namespace: string, name: string): Promise<void> {
  await apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name, labels: { app: name } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'podinfod', image: 'ghcr.io/stefanprodan/podinfo:6.0.0' }] } },
      },
    },
  });
}

async function createCanary(namespace: string, name: string, target: string): Promise<void> {
  const canary: Canary = seedCanary(undefined, namespace);
  canary.metadata = { name, namespace };
  canary.spec.targetRef.name = target;
  await apply(kc, [canary as unknown as k8s.KubernetesObject]);
}

async function setImage(namespace: string, name: string, tag: string): Promise<void> {
  await apps.patchNamespacedDeployment(
    {
      name,
      namespace,
      body: { spec: { template: { spec: { containers: [{ name: 'podinfod', image: `ghcr.io/stefanprodan/podinfo:${tag}` }] } } } },
    },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
  );
}

async function probe(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

describe('watcher with Temporal cut off', () => {
  const proxy = new TcpForwarder(hostPort(stack().temporal));
  const httpPort = 20_000 + Math.floor(Math.random() * 20_000);
  let namespace = '';
  let perch: Perch;
  let client: Client;

  before(async () => {
    await installCrds(kc);
    namespace = await createNamespace(kc, 'watcher');
    await proxy.open();
    client = await temporal();
    perch = new Perch(namespace, { TEMPORAL_ADDRESS: proxy.address, PERCH_HTTP_ADDRESS: `127.0.0.1:${httpPort}` });
    await createTarget(namespace, 'podinfo');
    await createCanary(namespace, 'podinfo', 'podinfo');
    perch.start('watcher');
    await eventually('watcher ready', 60_000, async () => ((await probe(httpPort, '/readyz')).status === 200 ? true : undefined));
    await signalArrives(client, namespace, 'podinfo', 'the first signal', (r) => r.reason === 'canary generation 1');
  });

  after(async () => {
    await proxy.open().catch(() => undefined);
    await perch.stop();
    await client.connection.close();
    await proxy.cut();
    await deleteNamespace(kc, namespace);
  });

  it('turns unready while Temporal is unreachable, and stays alive', async () => {
    await proxy.cut();
    const down = await eventually('readiness 503', 30_000, async () => {
      const r = await probe(httpPort, '/readyz');
      return r.status === 503 ? r : undefined;
    });
    assert.match(down.body, /Temporal unreachable/);
    assert.equal((await probe(httpPort, '/healthz')).status, 200, 'liveness stays up');
    await proxy.open();
    await eventually('readiness 200 again', 30_000, async () => ((await probe(httpPort, '/readyz')).status === 200 ? true : undefined));
  });

  it('delivers a change seen while Temporal was unreachable once it is back', async () => {
    const failures = () => perch.logMessages(`podinfo.${namespace}`, 'watcher').filter((m) => m.startsWith('cannot signal')).length;
    const before = failures();
    await proxy.cut();
    await setImage(namespace, 'podinfo', '6.0.1');
    // The watcher saw the change and failed to pass it on: the case where a change used to be lost.
    await eventually('a failed signal for the image change', 60_000, () => Promise.resolve(failures() > before ? true : undefined));
    const expected = await inspectTarget({ namespace, name: 'podinfo' });
    assert.equal(
      (await reconciles(client, namespace, 'podinfo')).filter((r) => r.reason === 'target changed').length,
      0,
      'nothing got through the cut',
    );
    await proxy.open();
    const got = await signalArrives(client, namespace, 'podinfo', 'the image change', (r) => r.reason === 'target changed');
    assert.equal(got.revision, expected.revision, 'it carries the revision the activities compute');
    assert.equal(got.generation, 1);
  });

  it("signals the other Canaries of a deleted Canary's Deployment", async () => {
    await createCanary(namespace, 'podinfo-2', 'podinfo');
    await signalArrives(client, namespace, 'podinfo-2', 'the second Canary signalled', (r) => r.reason === 'canary generation 1');
    await custom.deleteNamespacedCustomObject({ group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL, namespace, name: 'podinfo' });
    await signalArrives(client, namespace, 'podinfo', 'the deletion', (r) => r.reason === 'canary deleted');
    const notice = await signalArrives(client, namespace, 'podinfo-2', "the sibling's deletion", (r) => /canary podinfo .*deleted/.test(r.reason));
    assert.equal(notice.revision, (await inspectTarget({ namespace, name: 'podinfo' })).revision);
  });
});

describe('watcher resync', () => {
  let namespace = '';
  let perch: Perch;
  let client: Client;

  before(async () => {
    await installCrds(kc);
    namespace = await createNamespace(kc, 'watcher-resync');
    client = await temporal();
    perch = new Perch(namespace, { PERCH_RESYNC_PERIOD: '2s' });
    await createTarget(namespace, 'podinfo');
    await createCanary(namespace, 'podinfo', 'podinfo');
    perch.start('watcher');
  });

  after(async () => {
    await perch.stop();
    await client.connection.close();
    await deleteNamespace(kc, namespace);
  });

  it('signals every Canary again each period, starting a workflow that went missing', async () => {
    await eventually('two resync signals', 60_000, async () =>
      (await reconciles(client, namespace, 'podinfo')).filter((r) => r.reason === 'resync').length >= 2 ? true : undefined,
    );
    const handle = client.workflow.getHandle(canaryWorkflowId(namespace, 'podinfo'));
    const { runId } = await handle.describe();
    await handle.terminate('lost by the test');
    await eventually('a new run started by a resync', 60_000, async () => {
      const d = await client.workflow.getHandle(canaryWorkflowId(namespace, 'podinfo')).describe();
      return d.runId !== runId && d.status.name === 'RUNNING' ? true : undefined;
    });
  });
});

describe('watcher with a DaemonSet target', () => {
  let namespace = '';
  let perch: Perch;
  let client: Client;
  const template = (tag: string): k8s.V1PodTemplateSpec => ({
    metadata: { labels: { app: 'podinfo' } },
    spec: { containers: [{ name: 'podinfod', image: `ghcr.io/stefanprodan/podinfo:${tag}` }] },
  });

  before(async () => {
    await installCrds(kc);
    namespace = await createNamespace(kc, 'watcher-daemonset');
    client = await temporal();
    // A resync period far beyond the test: every signal it sees comes from a watch.
    perch = new Perch(namespace, { PERCH_RESYNC_PERIOD: '1h' });
    await apps.createNamespacedDaemonSet({
      namespace,
      body: { metadata: { name: 'podinfo' }, spec: { selector: { matchLabels: { app: 'podinfo' } }, template: template('6.0.0') } },
    });
    const canary: Canary = seedCanary(undefined, namespace);
    canary.spec.targetRef = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'podinfo' };
    delete canary.spec.autoscalerRef;
    await apply(kc, [canary as unknown as k8s.KubernetesObject]);
    perch.start('watcher');
  });

  after(async () => {
    await perch.stop();
    await client.connection.close();
    await deleteNamespace(kc, namespace);
  });

  it("signals a change to the DaemonSet's pod template at once, with the activities' revision", async () => {
    const first = await signalArrives(client, namespace, 'podinfo', 'the first signal', (r) => r.reason === 'canary generation 1');
    assert.equal(first.revision, (await inspectTarget({ namespace, name: 'podinfo' })).revision, 'the first signal carries the revision');
    await apps.patchNamespacedDaemonSet(
      { namespace, name: 'podinfo', body: { spec: { template: template('6.0.1') } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    const expected = (await inspectTarget({ namespace, name: 'podinfo' })).revision;
    assert.notEqual(expected, first.revision);
    // Before the change, a DaemonSet's status updates may signal the old revision: the change's own is waited for.
    await signalArrives(
      client,
      namespace,
      'podinfo',
      `the image change (revision ${expected}, as the activities compute it)`,
      (r) => r.reason === 'target changed' && r.revision === expected,
    );
  });
});
