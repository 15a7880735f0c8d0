// charts/perch installed with the real helm into the local API server, serving one namespace: the
// release deploys (kwok plays the pods); its ServiceAccount is granted the ClusterRole's rules in
// that namespace and nowhere else; Perch's worker and watcher, run as processes with that
// ServiceAccount's token and the installed ConfigMap as their environment, carry a seed rollout to
// Succeeded with no refused call; every option of the chart is admitted by the API server (dry
// run, with the Prometheus Operator's CRDs); and uninstalling removes all but the CRDs.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { Scenario } from '../support/scenario';
import { eventually, kubeConfig, runDir, stack } from '../support/stack';
import { isAvailable } from '../support/workloads';
import { applyServerSide, objectKey, rawObjects, repoRoot } from './install';
import { chartDir, everyOption, helm, helmOk, monitoringCrds, renderYaml, valuesFile } from './helm';
import { documentedRules, expandRules } from './rbac-rules';
import { grantedIn, writeServiceAccountKubeconfig } from './service-account';

const RELEASE = 'perch-helm';
const RELEASE_NS = 'perch-helm';
const NS = 'helm-test';
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

describe('Helm install of charts/perch, serving one namespace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perch-chart-install-'));
  const saKubeconfig = join(dir, 'kubeconfig');
  // Filled in once the chart is installed: the installed ConfigMap, and the ServiceAccount's token.
  const perchEnv: NodeJS.ProcessEnv = {};
  const s = new Scenario(NS, perchEnv);
  const admin = { kubeconfig: stack().kubeconfig };
  let asPerch = new k8s.KubeConfig();

  after(async () => {
    await s.tearDown();
    helm(['uninstall', RELEASE, '--namespace', RELEASE_NS, '--ignore-not-found', '--wait'], admin);
    await kubeConfig()
      .makeApiClient(k8s.CoreV1Api)
      .deleteNamespace({ name: RELEASE_NS })
      .catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs with helm; worker and watcher become available', async () => {
    await s.given(undefined, async () => {
      // The namespace it serves exists now (its RoleBinding goes there); Perch starts after this.
      helm(['uninstall', RELEASE, '--namespace', RELEASE_NS, '--ignore-not-found', '--wait'], admin);
      const values = {
        config: {
          TEMPORAL_ADDRESS: stack().temporal,
          PERCH_METRICS_SERVER: stack().prometheus,
          PERCH_TASK_QUEUE: s.perch.taskQueue,
          PERCH_WATCH_NAMESPACE: NS,
        },
      };
      helmOk(
        ['install', RELEASE, chartDir, '--namespace', RELEASE_NS, '--create-namespace', '-f', valuesFile(values), '--wait', '--timeout', '3m'],
        admin,
      );
      asPerch = await writeServiceAccountKubeconfig({ name: RELEASE, namespace: RELEASE_NS }, saKubeconfig, NS);
      // The processes get what the pods would: the installed ConfigMap. Only the HTTP server stays
      // off, since the pods' 0.0.0.0:8080 is not for a process on this machine.
      const apps = kubeConfig().makeApiClient(k8s.AppsV1Api);
      const worker = await apps.readNamespacedDeployment({ name: `${RELEASE}-worker`, namespace: RELEASE_NS });
      const configName = worker.spec?.template.spec?.containers[0]?.envFrom?.[0]?.configMapRef?.name ?? '';
      const config = await kubeConfig().makeApiClient(k8s.CoreV1Api).readNamespacedConfigMap({ name: configName, namespace: RELEASE_NS });
      Object.assign(perchEnv, config.data, { PERCH_HTTP_ADDRESS: '', KUBECONFIG: saKubeconfig });
    });
    const [listed] = JSON.parse(helmOk(['list', '--namespace', RELEASE_NS, '--output', 'json'], admin)) as {
      name: string;
      status: string;
      chart: string;
    }[];
    assert.deepEqual(listed && { name: listed.name, status: listed.status, chart: listed.chart }, {
      name: RELEASE,
      status: 'deployed',
      chart: `perch-${version}`,
    });
    const apps = kubeConfig().makeApiClient(k8s.AppsV1Api);
    for (const role of ['worker', 'watcher']) {
      await eventually(`${RELEASE}-${role} available`, 60_000, () => isAvailable(apps, RELEASE_NS, `${RELEASE}-${role}`, 1));
    }
    // What the processes were started with: the installed settings and the ServiceAccount's token.
    const env = s.perch.env();
    assert.equal(env.KUBECONFIG, saKubeconfig);
    assert.equal(env.PERCH_WATCH_NAMESPACE, NS);
    assert.equal(env.PERCH_TASK_QUEUE, s.perch.taskQueue);
    assert.equal(env.TEMPORAL_ADDRESS, stack().temporal);
  });

  it("grants its ServiceAccount the ClusterRole's rules in the served namespace, and nothing elsewhere", async () => {
    const documented = expandRules(documentedRules(readFileSync(join(repoRoot, 'docs', 'install.md'), 'utf8')));
    assert.deepEqual(await grantedIn(asPerch, NS), documented, `rules granted in ${NS}`);
    for (const namespace of [RELEASE_NS, 'default']) assert.deepEqual(await grantedIn(asPerch, namespace), [], `rules granted in ${namespace}`);
  });

  it('runs the seed rollout to Succeeded with that identity and the installed settings', async () => {
    await s.thenPhase('Initialized', { timeoutMs: 180_000 });
    await s.whenImageChanges('6.0.1');
    await s.thenPhase('Succeeded');
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.1');
    assert.ok(s.messages().includes(`Promotion completed! Scaling down podinfo.${NS}`), 'promotion logged');
    for (const role of ['worker', 'watcher']) {
      const log = readFileSync(join(runDir(), 'logs', `${s.perch.taskQueue}-${role}.log`), 'utf8');
      assert.doesNotMatch(log, /forbidden|\b403\b/i, `${role} log shows a refused call`);
    }
  });

  it('has every option admitted by the API server (dry run), monitors against the Prometheus Operator CRDs', async () => {
    applyServerSide({ yaml: readFileSync(monitoringCrds(), 'utf8') }, false);
    const crds = kubeConfig().makeApiClient(k8s.ApiextensionsV1Api);
    for (const name of ['servicemonitors.monitoring.coreos.com', 'podmonitors.monitoring.coreos.com']) {
      await eventually(
        `${name} established`,
        60_000,
        async () =>
          (await crds.readCustomResourceDefinition({ name })).status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ||
          undefined,
      );
    }
    const yaml = renderYaml(everyOption(NS, RELEASE_NS), { release: RELEASE, namespace: RELEASE_NS });
    const out = applyServerSide({ yaml }, true);
    const kinds = rawObjects(yaml).map((o) => o.kind);
    for (const kind of ['ServiceMonitor', 'PodMonitor', 'RoleBinding']) assert.ok(kinds.includes(kind), kind);
    for (const o of rawObjects(yaml)) {
      const line = new RegExp(`^${o.kind?.toLowerCase()}(\\.[a-z0-9.-]+)?/${o.metadata?.name} .*\\(server dry run\\)$`, 'm');
      assert.match(out, line, `${objectKey(o)} admitted`);
    }
  });

  it('uninstalls everything but the CRDs', async () => {
    await s.perch.stop();
    helmOk(['uninstall', RELEASE, '--namespace', RELEASE_NS, '--wait'], admin);
    const rbac = kubeConfig().makeApiClient(k8s.RbacAuthorizationV1Api);
    await assert.rejects(rbac.readClusterRole({ name: RELEASE }), (e: unknown) => e instanceof k8s.ApiException && e.code === 404);
    await assert.rejects(
      rbac.readNamespacedRoleBinding({ name: RELEASE, namespace: NS }),
      (e: unknown) => e instanceof k8s.ApiException && e.code === 404,
    );
    const apps = kubeConfig().makeApiClient(k8s.AppsV1Api);
    assert.deepEqual(
      (await apps.listNamespacedDeployment({ namespace: RELEASE_NS })).items.map((d) => d.metadata?.name),
      [],
    );
    await kubeConfig().makeApiClient(k8s.ApiextensionsV1Api).readCustomResourceDefinition({ name: 'canaries.flagger.app' });
  });
});
