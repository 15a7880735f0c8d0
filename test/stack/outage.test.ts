// Parts of the stack go down and come back, on a stack of this test's own (port offset 700), so a
// fault test can trust the stack to recover: after a 45 s kube-apiserver outage the fake node's pods
// are Ready again and listed ready by their EndpointSlices, and the data-plane simulator routed all
// along and follows changes made after it; etcd, Temporal and Prometheus keep their data.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { Client, Connection } from '@temporalio/client';
import { httpRequest, viaClusterProxy } from '../support/http';
import { HTTPProxies } from '../support/httpproxies';
import { createNamespace } from '../support/namespace';
import { deployPodinfoPair, weighted } from '../support/podinfo-pair';
import { eventually, kubeConfig, stack } from '../support/stack';
import { stackClean, stackUp, startPart, stopPart, useOwnStack, withPartDown } from '../support/stack-parts';
import { isAvailable } from '../support/workloads';

/**
 * The fault. The node-lifecycle controller marks the node's pods NotReady once the last Lease renewal
 * it saw is 50 s old; after 45 s down, the apiserver's restart and the controller's and kwok's
 * reconnecting take it past that, so the recovery is exercised (the test waits for the marking).
 */
const APISERVER_OUTAGE_MS = 45_000;
const SERVICES = ['podinfo-primary', 'podinfo-canary'];

/** True when nothing accepts a TCP connection at `url`'s host and port. */
function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url.includes('://') ? url : `tcp://${url}`);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** When the pod last became Ready, or undefined while it is not Ready. */
function readySince(pod: k8s.V1Pod): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  return ready ? new Date(ready.lastTransitionTime ?? 0).getTime() : undefined;
}

describe('the local stack through outages of its parts', () => {
  useOwnStack(700);
  let kc: k8s.KubeConfig;
  let ns = '';
  let fqdn = '';

  before(async () => {
    await stackClean();
    await stackUp();
    kc = kubeConfig();
    ns = await createNamespace(kc, 'outage');
    ({ fqdn } = await deployPodinfoPair(kc, ns, [weighted(50, 50)]));
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    await apps.patchNamespacedDeploymentScale(
      { name: 'podinfo-primary', namespace: ns, body: { spec: { replicas: 2 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await eventually('podinfo-primary at 2 replicas', 60_000, () => isAvailable(apps, ns, 'podinfo-primary', 2));
  });
  after(stackClean);

  const routed = async () => (await httpRequest(`${stack().envoyListener}/`, { headers: { host: fqdn } })).status;

  /** Every pod Ready, every EndpointSlice listing exactly those pods as ready, the simulator serving both. */
  async function allReady(): Promise<true | undefined> {
    const pods = (await kc.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: ns })).items;
    if (pods.length !== 3 || !pods.every((p) => readySince(p) !== undefined)) return undefined;
    const slices = (await kc.makeApiClient(k8s.DiscoveryV1Api).listNamespacedEndpointSlice({ namespace: ns })).items;
    for (const service of SERVICES) {
      const endpoints = slices.filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === service).flatMap((s) => s.endpoints ?? []);
      const want = pods
        .filter((p) => p.metadata?.labels?.app === service)
        .map((p) => p.metadata?.name)
        .sort();
      const ready = endpoints
        .filter((e) => e.conditions?.ready === true)
        .map((e) => e.targetRef?.name)
        .sort();
      if (JSON.stringify(ready) !== JSON.stringify(want) || endpoints.length !== want.length) return undefined;
      if ((await viaClusterProxy(stack().clusterProxy, `http://${service}.${ns}/healthz`)).status !== 200) return undefined;
    }
    return true;
  }

  /**
   * The node-lifecycle controller marks a pod NotReady once per Ready-to-NotReady change of the node
   * it sees (a NodeNotReady Event on the pod); recovered means every pod was marked after `since` and
   * is Ready again from then on, and all is ready as in allReady().
   */
  async function recoveredSince(since: number): Promise<true | undefined> {
    const marked = new Map<string, number>();
    for (const e of (await kc.makeApiClient(k8s.CoreV1Api).listNamespacedEvent({ namespace: ns, fieldSelector: 'reason=NodeNotReady' })).items) {
      const at = new Date(e.lastTimestamp ?? e.eventTime ?? 0).getTime();
      if (at >= since - 1000) marked.set(e.involvedObject.name ?? '', Math.max(at, marked.get(e.involvedObject.name ?? '') ?? 0));
    }
    const pods = (await kc.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: ns })).items;
    const restored = pods.every((p) => {
      const at = marked.get(p.metadata?.name ?? '');
      return at !== undefined && (readySince(p) ?? 0) >= at;
    });
    return restored ? allReady() : undefined;
  }

  it('has the pods Ready and routed again after a 45 s kube-apiserver outage, and follows changes made after it', async (t) => {
    assert.equal(await allReady(), true, 'all ready before the outage');
    const down = Date.now();
    await stopPart('kube-apiserver');
    assert.ok(await refusesConnections(stack().kubeApiserver), 'the apiserver is down');
    assert.equal(await routed(), 200, 'the simulator routes from what it knows while the apiserver is down');
    await sleep(APISERVER_OUTAGE_MS - (Date.now() - down));
    assert.equal(await routed(), 200, 'and still at the end of the outage');
    const restart = Date.now();
    await startPart('kube-apiserver');
    const serving = Date.now();

    await eventually('every pod marked NotReady by the node-lifecycle controller after the outage, then Ready and routed again', 180_000, () =>
      recoveredSince(down),
    );
    t.diagnostic(
      `apiserver down ${seconds(restart - down)}, ready ${seconds(serving - restart)} after its start; ` +
        `pods marked NotReady, Ready again, listed ready and routed ${seconds(Date.now() - restart)} after its start`,
    );

    // A change made after the outage reaches the simulator: its watches were re-established.
    await new HTTPProxies(kc).setSpec(ns, 'podinfo', { routes: [weighted(0, 100)] });
    await eventually('the simulator to route by the changed HTTPProxy', 30_000, async () => {
      const replies = await Promise.all(Array.from({ length: 20 }, () => httpRequest(`${stack().envoyListener}/`, { headers: { host: fqdn } })));
      return replies.every((r) => r.status === 200 && (JSON.parse(r.body) as { version: string }).version === '6.0.1') ? true : undefined;
    });
  });

  it('keeps the cluster in etcd across a restart of etcd', async () => {
    await withPartDown('etcd', async () => {
      assert.ok(await refusesConnections(stack().etcd), 'etcd is down');
    });
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    await eventually('the Deployments read back after etcd returns', 60_000, () => isAvailable(apps, ns, 'podinfo-primary', 2));
  });

  it("keeps Temporal's workflows across a restart of the dev server", async () => {
    const workflowId = `parked-${randomUUID()}`;
    let runId = '';
    const connection = await Connection.connect({ address: stack().temporal });
    try {
      // No worker polls this queue: the workflow stays Running, as a rollout waiting for its worker would.
      const handle = await new Client({ connection }).workflow.start('parked', {
        taskQueue: `outage-${randomUUID()}`,
        workflowId,
        workflowExecutionTimeout: '10m',
      });
      runId = handle.firstExecutionRunId;
    } finally {
      await connection.close();
    }

    await withPartDown('temporal', async () => {
      assert.ok(await refusesConnections(stack().temporal), 'Temporal is down');
    });

    const again = await Connection.connect({ address: stack().temporal });
    try {
      const handle = new Client({ connection: again }).workflow.getHandle(workflowId);
      const described = await handle.describe();
      assert.equal(described.runId, runId);
      assert.equal(described.status.name, 'RUNNING');
      await handle.terminate('outage test done');
    } finally {
      await again.close();
    }
  });

  it("keeps Prometheus's samples across a restart, and it scrapes again", async () => {
    const query = async (expr: string, at?: number) => {
      const url = `${stack().prometheus}/api/v1/query?query=${encodeURIComponent(expr)}${at ? `&time=${at}` : ''}`;
      const body = (await (await fetch(url)).json()) as { data: { result: { value: [number, string] }[] } };
      return body.data.result[0]?.value;
    };
    const up = 'up{job="envoy"}';
    const before = await eventually('a scrape of the simulated Envoy', 30_000, () => query(up));

    await withPartDown('prometheus', async () => {
      assert.ok(await refusesConnections(stack().prometheus), 'Prometheus is down');
    });
    const restarted = Date.now() / 1000;

    assert.deepEqual(await query(up, before[0]), before, 'the sample taken before the restart is still there');
    await eventually('a scrape after the restart', 30_000, async () => {
      const last = await query(`timestamp(${up})`);
      return last && Number(last[1]) > restarted ? true : undefined;
    });
  });
});
