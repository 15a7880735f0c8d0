// The watcher's revision of a target, from metadata-only watches, change feeds and reads by name,
// against the activities' (inspectTarget) on the local stack's apiserver: they must agree on every
// kind of reference and tracking rule, and stay in step as the target and its configs change. Also:
// only what the target references is ever read, and a change to anything else reads nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { readOptional } from '../../src/kubernetes/client';
import { type ConfigKind } from '../../src/kubernetes/revision';
import { type Workload, type WorkloadKind } from '../../src/kubernetes/workload';
import { type ChangeFeed } from '../../src/watcher/change-feed';
import { type MetadataInformer } from '../../src/watcher/metadata-informer';
import { TargetRevisions, versionOf } from '../../src/watcher/target-revisions';
import { Watches } from '../../src/watcher/watches';
import { createNamespace, deleteNamespace } from '../support/namespace';
import { eventually, kubeConfig } from '../support/stack';
import { stackActivities } from '../activities/stack-activities';

const { inspectTarget } = stackActivities();

const kc = kubeConfig();
const apps = kc.makeApiClient(k8s.AppsV1Api);
const core = kc.makeApiClient(k8s.CoreV1Api);

/** A template using every kind of reference Flagger tracks, and the rules that leave some out. */
function template(image: string): k8s.V1PodTemplateSpec {
  return {
    metadata: { labels: { app: 'web' }, annotations: { 'example.com/note': 'kept in the hash' } },
    spec: {
      volumes: [
        { name: 'config', configMap: { name: 'cm-volume' } },
        { name: 'secret', secret: { secretName: 'secret-volume' } },
        { name: 'both', projected: { sources: [{ configMap: { name: 'cm-projected' } }, { secret: { name: 'secret-projected' } }] } },
        { name: 'untracked', configMap: { name: 'cm-untracked' } },
        { name: 'registry', secret: { secretName: 'secret-registry' } },
        { name: 'missing', configMap: { name: 'cm-missing', optional: true } },
      ],
      initContainers: [{ name: 'init', image, envFrom: [{ secretRef: { name: 'secret-env-from' } }] }],
      containers: [
        {
          name: 'web',
          image,
          env: [
            { name: 'A', valueFrom: { configMapKeyRef: { name: 'cm-env', key: 'a' } } },
            { name: 'B', valueFrom: { secretKeyRef: { name: 'secret-env', key: 'b' } } },
          ],
          envFrom: [{ configMapRef: { name: 'cm-env-from' } }],
        },
      ],
    },
  };
}

describe('target revisions (watcher) against inspectTarget (activities)', () => {
  let namespace = '';
  let workloads: Record<WorkloadKind, MetadataInformer>;
  let feeds: Record<ConfigKind, ChangeFeed>;
  /** `kind/name@resourceVersion` of every change the feeds told. */
  const told = new Set<string>();
  const reads: string[] = [];
  let revisions: TargetRevisions;

  const known = (kind: WorkloadKind, name: string): string | undefined => {
    const obj = workloads[kind].get(name, namespace);
    return obj === undefined ? undefined : versionOf(obj.metadata);
  };

  /** Waits until the watch reports what the API server answered to a write of a workload. */
  const seen = (kind: WorkloadKind, obj: k8s.KubernetesObject) =>
    eventually(`${kind} ${obj.metadata?.name} seen`, 30_000, () =>
      Promise.resolve(known(kind, obj.metadata?.name ?? '') === versionOf(obj.metadata) ? true : undefined),
    );

  /** Waits until a feed has told of the write of a config the API server answered. */
  const toldOf = (kind: ConfigKind, obj: k8s.KubernetesObject) =>
    eventually(`${kind} ${obj.metadata?.name} told`, 30_000, () =>
      Promise.resolve(told.has(`${kind}/${obj.metadata?.name}@${obj.metadata?.resourceVersion}`) ? true : undefined),
    );

  const agree = async (name = 'web', kind: WorkloadKind = 'Deployment'): Promise<string> => {
    const watcher = await revisions.revision(namespace, name, kind);
    const activities = await inspectTarget({ namespace, name, kind });
    assert.equal(watcher, activities.revision, 'the watcher and the activities compute the same revision');
    return watcher;
  };

  before(async () => {
    namespace = await createNamespace(kc, 'watcher-revision');
    const cm = (name: string, extra: Partial<k8s.V1ConfigMap> = {}) =>
      core.createNamespacedConfigMap({ namespace, body: { metadata: { name }, data: { a: `${name} <&> data` }, ...extra } });
    const secret = (name: string, extra: Partial<k8s.V1Secret> = {}) =>
      core.createNamespacedSecret({ namespace, body: { metadata: { name }, stringData: { b: `${name} value` }, ...extra } });
    await cm('cm-volume', { binaryData: { blob: Buffer.from([0, 1, 2]).toString('base64') } });
    await cm('cm-projected');
    await cm('cm-env');
    await cm('cm-env-from');
    await cm('cm-untracked', { metadata: { name: 'cm-untracked', annotations: { 'flagger.app/config-tracking': 'disabled' } } });
    await secret('secret-volume');
    await secret('secret-projected', { type: 'kubernetes.io/basic-auth', stringData: { username: 'u', password: 'p' } });
    await secret('secret-env');
    await secret('secret-env-from');
    await secret('secret-registry', { type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"auths":{}}' } });
    // Objects no target uses: never read.
    for (let i = 0; i < 20; i += 1) {
      await cm(`unrelated-${i}`);
      await secret(`unrelated-secret-${i}`);
    }
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: template('ghcr.io/stefanprodan/podinfo:6.0.0') },
      },
    });
    const watches = new Watches(kc, namespace);
    workloads = watches.workloads();
    feeds = watches.configs((kind) => ({
      change: ({ namespace: n, name, resourceVersion }) => {
        revisions.configChanged(n, kind, name, resourceVersion);
        told.add(`${kind}/${name}@${resourceVersion}`);
      },
      lost: () => revisions.forgetConfigs(),
    }));
    await Promise.all([...Object.values(workloads).map((i) => i.start()), ...Object.values(feeds).map((f) => f.start())]);
    revisions = new TargetRevisions(
      {
        workload: (kind, n, name) => {
          reads.push(`${kind}/${name}`);
          return readOptional<Workload>(() =>
            kind === 'DaemonSet' ? apps.readNamespacedDaemonSet({ namespace: n, name }) : apps.readNamespacedDeployment({ namespace: n, name }),
          );
        },
        configMap: (n, name) => {
          reads.push(`configmap/${name}`);
          return readOptional(() => core.readNamespacedConfigMap({ namespace: n, name }));
        },
        secret: (n, name) => {
          reads.push(`secret/${name}`);
          return readOptional(() => core.readNamespacedSecret({ namespace: n, name }));
        },
      },
      (kind, _n, name) => known(kind, name),
    );
  });

  after(async () => {
    for (const feed of Object.values(feeds)) feed.stop();
    await Promise.all(Object.values(workloads).map((i) => i.stop()));
    await deleteNamespace(kc, namespace);
  });

  it('computes the same revision, reading only what the target references', async () => {
    const first = await agree();
    assert.match(first, /^[0-9a-f]{16}$/);
    assert.deepEqual(
      reads.slice().sort(),
      [
        'Deployment/web',
        'configmap/cm-env',
        'configmap/cm-env-from',
        'configmap/cm-missing',
        'configmap/cm-projected',
        'configmap/cm-untracked',
        'configmap/cm-volume',
        'secret/secret-env',
        'secret/secret-env-from',
        'secret/secret-projected',
        'secret/secret-registry',
        'secret/secret-volume',
      ],
      'referenced objects only, each once (the missing optional one too, to learn that it is missing)',
    );
    // Unchanged: nothing is read again.
    reads.length = 0;
    assert.equal(await revisions.revision(namespace, 'web'), first);
    assert.deepEqual(reads, []);
    // A change to a config no target uses reads nothing.
    await toldOf(
      'secret',
      await core.patchNamespacedSecret(
        { namespace, name: 'unrelated-secret-3', body: { stringData: { b: 'changed' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      ),
    );
    assert.equal(await revisions.revision(namespace, 'web'), first);
    assert.deepEqual(reads, []);
  });

  it('follows changes to a config, the pod template, and the Deployment going away', async () => {
    const first = await agree();
    await toldOf(
      'secret',
      await core.patchNamespacedSecret(
        { namespace, name: 'secret-env', body: { stringData: { b: 'changed' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      ),
    );
    reads.length = 0;
    const second = await agree();
    assert.notEqual(second, first, 'a tracked Secret changed');
    assert.deepEqual(reads, ['secret/secret-env'], 'only the changed Secret is read again');

    await toldOf(
      'configmap',
      await core.patchNamespacedConfigMap(
        { namespace, name: 'cm-untracked', body: { data: { a: 'changed' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      ),
    );
    assert.equal(await agree(), second, 'an untracked ConfigMap is no new revision');

    await toldOf(
      'configmap',
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'cm-missing' }, data: { a: 'now here' } } }),
    );
    const third = await agree();
    assert.notEqual(third, second, 'an optional ConfigMap that appears is tracked');

    const scaled = await apps.patchNamespacedDeployment(
      { namespace, name: 'web', body: { spec: { replicas: 1 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await seen('Deployment', scaled);
    assert.equal(await agree(), third, 'scaling is no new revision');

    await seen(
      'Deployment',
      await apps.patchNamespacedDeployment(
        { namespace, name: 'web', body: { spec: { template: template('ghcr.io/stefanprodan/podinfo:6.0.1') } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      ),
    );
    assert.notEqual(await agree(), third, 'a new image');

    await apps.deleteNamespacedDeployment({ namespace, name: 'web' });
    await eventually('deployment gone from the watch', 30_000, () => Promise.resolve(known('Deployment', 'web') === undefined ? true : undefined));
    assert.equal(await agree(), '', 'no target, no revision');
  });

  it("follows a DaemonSet target's template, its scale-to-zero node selector aside", async () => {
    const ds = (image: string): k8s.V1DaemonSet => ({
      metadata: { name: 'agent' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: template(image) },
    });
    await seen('DaemonSet', await apps.createNamespacedDaemonSet({ namespace, body: ds('ghcr.io/stefanprodan/podinfo:6.0.0') }));
    const first = await agree('agent', 'DaemonSet');
    assert.match(first, /^[0-9a-f]{16}$/);
    const patch = (body: object) =>
      apps.patchNamespacedDaemonSet({ namespace, name: 'agent', body }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await seen('DaemonSet', await patch({ spec: { template: { spec: { nodeSelector: { 'flagger.app/scale-to-zero': 'true' } } } } }));
    assert.equal(await agree('agent', 'DaemonSet'), first, 'scaled to zero is no new revision');
    await seen(
      'DaemonSet',
      await patch({ spec: { template: { spec: { containers: template('ghcr.io/stefanprodan/podinfo:6.0.1').spec?.containers } } } }),
    );
    assert.notEqual(await agree('agent', 'DaemonSet'), first, 'a new image');
  });
});
