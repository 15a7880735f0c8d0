// inspectTarget against the real cluster: the revision moves with the image and with tracked
// config data, and with nothing else.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { kubeConfig } from '../../support/stack';
import { stackActivities } from '../stack-activities';
import { configChecksum, revisionOf } from '../../../src/kubernetes/revision';
import { createNamespace, deleteNamespace } from '../../support/namespace';
import { IMAGE, createWorkload } from './fixtures';

const { inspectTarget } = stackActivities();

describe('inspectTarget', () => {
  const kc = kubeConfig();
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
  let ns = '';
  const inspect = () => inspectTarget({ namespace: ns, name: 'podinfo' });

  before(async () => {
    ns = await createNamespace(kc, 'act-k8s-inspect');
    await createWorkload(kc, ns, { hpa: false });
  });
  after(async () => {
    await deleteNamespace(kc, ns);
  });

  it('describes the target: revision, replicas, selector label, tracked configs, image', async () => {
    const t = await inspect();
    assert.equal(t.exists, true);
    assert.match(t.revision, /^[0-9a-f]{16}$/);
    assert.equal(t.replicas, 1);
    assert.equal(t.selectorLabel, 'app');
    assert.equal(t.image, IMAGE);
    assert.deepEqual(t.trackedConfigs, {
      'configmap/podinfo-config': configChecksum({ color: '#34577c' }),
      'secret/podinfo-secret': configChecksum({ token: Buffer.from('s3cr3t').toString('base64') }),
    });
    assert.deepEqual(await inspect(), t, 'stable when nothing changed');
  });

  it('answers exists: false for a missing Deployment', async () => {
    assert.deepEqual(await inspectTarget({ namespace: ns, name: 'nope' }), {
      exists: false,
      revision: '',
      replicas: 0,
      trackedConfigs: {},
      image: '',
    });
  });

  it('keeps the revision when replicas, Deployment metadata or untracked objects change', async () => {
    const before = (await inspect()).revision;
    await apps.patchNamespacedDeployment(
      { name: 'podinfo', namespace: ns, body: { metadata: { labels: { extra: 'x' } }, spec: { replicas: 0 } } },
      merge,
    );
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'unrelated' }, data: { a: '1' } } });
    await core.patchNamespacedConfigMap({ name: 'podinfo-config', namespace: ns, body: { metadata: { labels: { touched: 'yes' } } } }, merge);
    const after = await inspect();
    assert.equal(after.revision, before);
    assert.equal(after.replicas, 0);
  });

  it('changes the revision when the image changes', async () => {
    const before = (await inspect()).revision;
    await setImage('ghcr.io/stefanprodan/podinfo:6.0.1');
    const after = await inspect();
    assert.notEqual(after.revision, before);
    assert.equal(after.image, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  });

  it("changes the revision when a tracked ConfigMap's data changes, and back when it is restored", async () => {
    const before = await inspect();
    await core.patchNamespacedConfigMap({ name: 'podinfo-config', namespace: ns, body: { data: { color: '#ff0000' } } }, merge);
    const changed = await inspect();
    assert.notEqual(changed.revision, before.revision);
    assert.equal(changed.trackedConfigs['configmap/podinfo-config'], configChecksum({ color: '#ff0000' }));
    await core.patchNamespacedConfigMap({ name: 'podinfo-config', namespace: ns, body: { data: { color: '#34577c' } } }, merge);
    assert.equal((await inspect()).revision, before.revision);
  });

  it('stops tracking a ConfigMap annotated flagger.app/config-tracking: disabled', async () => {
    await core.patchNamespacedConfigMap(
      { name: 'podinfo-config', namespace: ns, body: { metadata: { annotations: { 'flagger.app/config-tracking': 'disabled' } } } },
      merge,
    );
    const t = await inspect();
    assert.deepEqual(Object.keys(t.trackedConfigs), ['secret/podinfo-secret']);
    await core.patchNamespacedConfigMap({ name: 'podinfo-config', namespace: ns, body: { data: { color: '#00ff00' } } }, merge);
    assert.equal((await inspect()).revision, t.revision, 'its data no longer counts');
  });

  it('computes the same revision from a raw watch event as from a typed read (what the watcher sees)', async () => {
    const typed = await inspect();
    let first: (d: k8s.V1Deployment) => void = () => undefined;
    const event = new Promise<k8s.V1Deployment>((resolve) => {
      first = resolve;
    });
    const ctl = await new k8s.Watch(kc).watch(
      `/apis/apps/v1/namespaces/${ns}/deployments`,
      { fieldSelector: 'metadata.name=podinfo' },
      (_type: string, obj: unknown) => first(obj as k8s.V1Deployment),
      () => undefined,
    );
    const raw = await event;
    ctl.abort();
    assert.equal(Object.getPrototypeOf(raw), Object.prototype, 'a plain JSON object');
    assert.equal(revisionOf(raw.spec?.template ?? {}, typed.trackedConfigs), typed.revision);
  });

  async function setImage(image: string): Promise<void> {
    const d = await apps.readNamespacedDeployment({ name: 'podinfo', namespace: ns });
    const c = d.spec?.template.spec?.containers[0];
    assert.ok(c);
    c.image = image;
    await apps.replaceNamespacedDeployment({ name: 'podinfo', namespace: ns, body: d });
  }
});
