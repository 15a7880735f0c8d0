// Perch's RBAC, proven with its own identity: a token for perch-system/perch from the TokenRequest
// API, and (1) the rules the API server grants that token are exactly the ClusterRole's and the
// table in docs/install.md; (2) what Perch never does is refused; (3) Perch's worker and watcher,
// with only that token, carry a seed rollout to Succeeded, copying a tracked ConfigMap and Secret,
// reading a MetricTemplate with a credentials Secret and an AlertProvider with its Secret, then
// revert the target when the Canary is deleted. Nothing Perch does may be forbidden on the way.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../../src/api/canary';
import { Receiver } from '../support/receiver';
import { Scenario } from '../support/scenario';
import { seedCanary, seedManifests, TEST_INTERVALS } from '../support/seed';
import { apply } from '../support/manifests';
import { eventually, runDir, stack } from '../support/stack';
import { isAvailable } from '../support/workloads';
import { build, find, installEvaluation, kubectl, repoRoot } from './install';
import { documentedRules, expandRules } from './rbac-rules';
import { grantedIn, writeServiceAccountKubeconfig } from './service-account';

const SA = { name: 'perch', namespace: 'perch-system' };
const NS = 'rbac-test';

describe('RBAC: Perch with only its ServiceAccount', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perch-rbac-'));
  const saKubeconfig = join(dir, 'kubeconfig');
  const s = new Scenario(NS, { KUBECONFIG: saKubeconfig });
  let asPerch = new k8s.KubeConfig();
  let receiver: Receiver | undefined;

  before(async () => {
    installEvaluation();
    asPerch = await writeServiceAccountKubeconfig(SA, saKubeconfig, NS);
  });
  after(async () => {
    await s.tearDown();
    // A run that failed before Perch lifted its finalizer would leave the namespace terminating
    // forever (Perch is stopped now), and every later run waiting for it: release the Canary.
    await s.kc
      .makeApiClient(k8s.CustomObjectsApi)
      .patchNamespacedCustomObject(
        {
          group: FLAGGER_GROUP,
          version: FLAGGER_VERSION,
          plural: CANARY_PLURAL,
          namespace: NS,
          name: 'podinfo',
          body: { metadata: { finalizers: null } },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      )
      .catch(() => undefined);
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the token authenticates as the perch ServiceAccount', async () => {
    const review = await asPerch.makeApiClient(k8s.AuthenticationV1Api).createSelfSubjectReview({ body: {} });
    assert.equal(review.status?.userInfo?.username, `system:serviceaccount:${SA.namespace}:${SA.name}`);
  });

  it('is granted exactly the documented rules, which are the ClusterRole', async () => {
    const documented = expandRules(documentedRules(readFileSync(join(repoRoot, 'docs', 'install.md'), 'utf8')));
    const role = find<k8s.V1ClusterRole>(build('deploy'), 'ClusterRole', 'perch');
    assert.deepEqual(expandRules(role.rules ?? []), documented, 'deploy/base/rbac/cluster-role.yaml vs docs/install.md');
    // Bound cluster-wide: the same rules in the test namespace and in one Perch has no business in.
    for (const namespace of [NS, 'kube-system']) assert.deepEqual(await grantedIn(asPerch, namespace), documented, `rules granted in ${namespace}`);
  });

  it('refuses what Perch never does, and allows what it does', () => {
    const canI = (verb: string, resource: string, sub?: string): string =>
      kubectl(['auth', 'can-i', verb, resource, '-n', NS, ...(sub ? [`--subresource=${sub}`] : [])], { kubeconfig: saKubeconfig }).stdout.trim();
    const refused: [string, string, string?][] = [
      ['delete', 'deployments.apps'],
      ['patch', 'deployments.apps'],
      ['delete', 'services'],
      ['delete', 'horizontalpodautoscalers.autoscaling'],
      ['delete', 'httpproxies.projectcontour.io'],
      ['delete', 'canaries.flagger.app'],
      ['update', 'canaries.flagger.app'],
      ['create', 'canaries.flagger.app'],
      ['update', 'metrictemplates.flagger.app'],
      ['list', 'alertproviders.flagger.app'],
      ['delete', 'configmaps'],
      ['list', 'events'],
      ['get', 'pods'],
      ['create', 'pods', 'exec'],
      ['get', 'nodes'],
      ['list', 'namespaces'],
      ['create', 'rolebindings.rbac.authorization.k8s.io'],
      ['escalate', 'clusterroles.rbac.authorization.k8s.io'],
      ['bind', 'clusterroles.rbac.authorization.k8s.io'],
      ['impersonate', 'serviceaccounts'],
      ['create', 'serviceaccounts', 'token'],
      ['update', 'deployments.apps', 'status'],
    ];
    for (const [verb, resource, sub] of refused) assert.equal(canI(verb, resource, sub), 'no', `${verb} ${resource}${sub ? `/${sub}` : ''}`);
    const allowed: [string, string, string?][] = [
      ['patch', 'deployments.apps', 'scale'],
      ['patch', 'canaries.flagger.app', 'status'],
      ['watch', 'secrets'],
      ['update', 'httpproxies.projectcontour.io'],
    ];
    for (const [verb, resource, sub] of allowed) assert.equal(canI(verb, resource, sub), 'yes', `${verb} ${resource}${sub ? `/${sub}` : ''}`);
  });

  it('the watcher can list and watch its four kinds in every namespace', async () => {
    const group = { group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL };
    await asPerch.makeApiClient(k8s.CustomObjectsApi).listClusterCustomObject({ ...group, limit: 1 });
    await asPerch.makeApiClient(k8s.AppsV1Api).listDeploymentForAllNamespaces({ limit: 1 });
    await asPerch.makeApiClient(k8s.CoreV1Api).listConfigMapForAllNamespaces({ limit: 1 });
    await asPerch.makeApiClient(k8s.CoreV1Api).listSecretForAllNamespaces({ limit: 1 });
    // A watch the way the informers open it; a refused one ends with an error instead.
    const ended = await new Promise<unknown>((resolve) => {
      void new k8s.Watch(asPerch).watch('/api/v1/secrets', { timeoutSeconds: 1 }, () => undefined, resolve).catch(resolve);
    });
    assert.equal(ended, null, `watch /api/v1/secrets ended with ${String(ended)}`);
  });

  it('runs a seed rollout to Succeeded and reverts on deletion with only that identity', async () => {
    receiver = await Receiver.start();
    const alerts = receiver;
    await s.given(async (sc) => {
      // Tracked configs: the target reads a ConfigMap and a Secret, which Perch copies to -primary.
      const seed = seedManifests('podinfo.yaml', NS);
      const podinfo = seed.find((o): o is k8s.V1Deployment => o.kind === 'Deployment');
      const container = podinfo?.spec?.template.spec?.containers[0];
      if (!container) throw new Error('the seed has no podinfo Deployment');
      container.envFrom = [{ configMapRef: { name: 'podinfo-config' } }, { secretRef: { name: 'podinfo-secret' } }];
      const canary = seedCanary(TEST_INTERVALS, NS);
      canary.spec.revertOnDeletion = true;
      canary.spec.analysis.metrics?.push({ name: 'rbac-probe', templateRef: { name: 'rbac-probe' }, thresholdRange: { max: 10 }, interval: '15s' });
      canary.spec.analysis.alerts = [{ name: 'chat', severity: 'info', providerRef: { name: 'chat' } }];
      await apply(sc.kc, [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'podinfo-config', namespace: NS },
          data: { PODINFO_UI_COLOR: '#34577c' },
        } as k8s.V1ConfigMap,
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'podinfo-secret', namespace: NS },
          stringData: { PODINFO_TOKEN: 'secret' },
        } as k8s.V1Secret,
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'prom-auth', namespace: NS },
          stringData: { username: 'perch', password: 'secret' },
        } as k8s.V1Secret,
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'chat-address', namespace: NS },
          stringData: { address: alerts.url('/chat') },
        } as k8s.V1Secret,
        {
          apiVersion: `${FLAGGER_GROUP}/${FLAGGER_VERSION}`,
          kind: 'MetricTemplate',
          metadata: { name: 'rbac-probe', namespace: NS },
          spec: { provider: { type: 'prometheus', address: stack().prometheus, secretRef: { name: 'prom-auth' } }, query: 'vector(1)' },
        } as k8s.KubernetesObject,
        {
          apiVersion: `${FLAGGER_GROUP}/${FLAGGER_VERSION}`,
          kind: 'AlertProvider',
          metadata: { name: 'chat', namespace: NS },
          spec: { type: 'slack', channel: 'rollouts', secretRef: { name: 'chat-address' } },
        } as k8s.KubernetesObject,
        ...seed,
        canary as unknown as k8s.KubernetesObject,
        ...seedManifests('podinfo-ingress.yaml', NS),
      ]);
    });
    await s.thenPhase('Initialized', { timeoutMs: 180_000 });
    await s.core.readNamespacedConfigMap({ name: 'podinfo-config-primary', namespace: NS });
    await s.core.readNamespacedSecret({ name: 'podinfo-secret-primary', namespace: NS });
    assert.ok((await s.canary()).metadata.finalizers?.includes('finalizer.flagger.app'), 'finalizer set by Perch');

    await s.whenImageChanges('6.0.1');
    await s.thenPhase('Succeeded');
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.1');
    assert.ok(s.messages().includes('Promotion completed! Scaling down podinfo.rbac-test'), 'promotion logged');
    await eventually('an alert through the AlertProvider', 60_000, () => Promise.resolve(alerts.to('/chat').length > 0 ? true : undefined));

    // A call outside the rules fails with 403 for this identity, and changes nothing.
    await assert.rejects(
      asPerch.makeApiClient(k8s.AppsV1Api).deleteNamespacedDeployment({ name: 'podinfo', namespace: NS }),
      (err: unknown) => err instanceof k8s.ApiException && err.code === 403,
    );
    await s.apps.readNamespacedDeployment({ name: 'podinfo', namespace: NS });

    await s.kc.makeApiClient(k8s.CustomObjectsApi).deleteNamespacedCustomObject({
      group: FLAGGER_GROUP,
      version: FLAGGER_VERSION,
      plural: CANARY_PLURAL,
      namespace: NS,
      name: 'podinfo',
    });
    await eventually('Canary released by Perch and gone', 120_000, () =>
      s.canary().then(
        () => undefined,
        () => true,
      ),
    );
    await eventually('podinfo scaled back up', 60_000, () => isAvailable(s.apps, NS, 'podinfo', 2));

    for (const role of ['worker', 'watcher']) {
      const log = readFileSync(join(runDir(), 'logs', `${s.perch.taskQueue}-${role}.log`), 'utf8');
      assert.doesNotMatch(log, /forbidden|\b403\b/i, `${role} log shows a refused call`);
    }
  });
});
