// Pure: how the primary is derived from the target: config references, labels, flagger-id,
// anti-affinity, and the selector label rule (no cluster).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import { rewriteConfigRefs } from '../../../src/kubernetes/config-refs';
import { canaryOwnerRef } from '../../../src/kubernetes/metadata';
import { FLAGGER_ID_ANNOTATION, newPrimaryDeployment, primaryTemplate } from '../../../src/kubernetes/primary';
import { missingSelectorLabel, selectorLabelOf } from '../../../src/kubernetes/selector';
import { podinfo } from './fixtures';

const tracked = new Set(['configmap/podinfo-config', 'secret/podinfo-secret']);

describe('rewriteConfigRefs', () => {
  it('points tracked references at -primary copies and leaves the rest and the input alone', () => {
    const spec: k8s.V1PodSpec = {
      volumes: [
        { name: 'a', secret: { secretName: 'podinfo-secret' } },
        { name: 'b', configMap: { name: 'untracked' } },
        { name: 'c', projected: { sources: [{ configMap: { name: 'podinfo-config' } }] } },
      ],
      initContainers: [{ name: 'init', envFrom: [{ configMapRef: { name: 'podinfo-config' } }] }],
      containers: [
        {
          name: 'app',
          env: [
            { name: 'X', valueFrom: { configMapKeyRef: { name: 'podinfo-config', key: 'k' } } },
            { name: 'Y', valueFrom: { secretKeyRef: { name: 'other', key: 'k' } } },
          ],
          envFrom: [{ secretRef: { name: 'podinfo-secret' } }],
        },
      ],
    };
    const before = JSON.stringify(spec);
    const out = rewriteConfigRefs(spec, tracked);
    assert.equal(JSON.stringify(spec), before, 'input untouched');
    assert.equal(out.volumes?.[0]?.secret?.secretName, 'podinfo-secret-primary');
    assert.equal(out.volumes?.[1]?.configMap?.name, 'untracked');
    assert.equal(out.volumes?.[2]?.projected?.sources?.[0]?.configMap?.name, 'podinfo-config-primary');
    assert.equal(out.initContainers?.[0]?.envFrom?.[0]?.configMapRef?.name, 'podinfo-config-primary');
    assert.equal(out.containers[0]?.env?.[0]?.valueFrom?.configMapKeyRef?.name, 'podinfo-config-primary');
    assert.equal(out.containers[0]?.env?.[1]?.valueFrom?.secretKeyRef?.name, 'other');
    assert.equal(out.containers[0]?.envFrom?.[0]?.secretRef?.name, 'podinfo-secret-primary');
  });
});

describe('primary Deployment', () => {
  const target = podinfo('test');
  const selector = { key: 'app', value: 'podinfo' };

  it('has the -primary selector and pod label, the copied rollout settings and a revision-derived flagger-id', () => {
    const owner = canaryOwnerRef('podinfo', 'uid-1');
    const d = newPrimaryDeployment({ target, selector, tracked, revision: 'r1', replicas: 2, owner });
    assert.equal(d.metadata?.name, 'podinfo-primary');
    assert.deepEqual(d.metadata?.labels, { app: 'podinfo-primary' });
    assert.deepEqual(d.metadata?.annotations, { team: 'perch' });
    assert.deepEqual(d.metadata?.ownerReferences, [
      { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: 'podinfo', uid: 'uid-1', controller: true, blockOwnerDeletion: true },
    ]);
    assert.deepEqual(d.spec?.selector.matchLabels, { app: 'podinfo-primary' });
    assert.equal(d.spec?.replicas, 2);
    assert.equal(d.spec?.minReadySeconds, 1);
    assert.equal(d.spec?.progressDeadlineSeconds, 60);
    assert.deepEqual(d.spec?.strategy, target.spec?.strategy);
    assert.deepEqual(d.spec?.template.metadata?.labels, { app: 'podinfo-primary' });
    const id = d.spec?.template.metadata?.annotations?.[FLAGGER_ID_ANNOTATION];
    assert.match(id ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(primaryTemplate({ target, selector, tracked, revision: 'r1' }).metadata?.annotations?.[FLAGGER_ID_ANNOTATION], id);
    assert.notEqual(primaryTemplate({ target, selector, tracked, revision: 'r2' }).metadata?.annotations?.[FLAGGER_ID_ANNOTATION], id);
    const c = d.spec?.template.spec?.containers[0];
    assert.equal(c?.env?.[0]?.valueFrom?.configMapKeyRef?.name, 'podinfo-config-primary');
    assert.equal(d.spec?.template.spec?.volumes?.[0]?.secret?.secretName, 'podinfo-secret-primary');
  });

  it('points anti-affinity and topology spread selectors naming the target at the primary', () => {
    const t = podinfo('test', {
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'podinfo' } } },
      ],
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { topologyKey: 'host', labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['x', 'podinfo'] }] } },
          ],
        },
      },
    });
    const spec = primaryTemplate({ target: t, selector, tracked, revision: 'r' }).spec;
    assert.deepEqual(spec?.topologySpreadConstraints?.[0]?.labelSelector?.matchLabels, { app: 'podinfo-primary' });
    assert.deepEqual(
      spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]?.labelSelector?.matchExpressions?.[0]?.values,
      ['x', 'podinfo-primary'],
    );
    assert.deepEqual(t.spec?.template.spec?.topologySpreadConstraints?.[0]?.labelSelector?.matchLabels, { app: 'podinfo' }, 'target untouched');
  });
});

describe('selector label', () => {
  const withLabels = (matchLabels: Record<string, string>): k8s.V1Deployment => ({ spec: { selector: { matchLabels }, template: {} } });

  it('prefers app, then name, then app.kubernetes.io/name', () => {
    assert.deepEqual(selectorLabelOf(withLabels({ 'app.kubernetes.io/name': 'c', name: 'b', app: 'a' })), { key: 'app', value: 'a' });
    assert.deepEqual(selectorLabelOf(withLabels({ 'app.kubernetes.io/name': 'c', name: 'b' })), { key: 'name', value: 'b' });
    assert.deepEqual(selectorLabelOf(withLabels({ 'app.kubernetes.io/name': 'c' })), { key: 'app.kubernetes.io/name', value: 'c' });
    assert.equal(selectorLabelOf(withLabels({ tier: 'web' })), undefined);
  });

  it("explains a missing one in Flagger's words", () => {
    assert.equal(
      missingSelectorLabel('podinfo', 'test'),
      'deployment podinfo.test spec.selector.matchLabels must contain one of [app name app.kubernetes.io/name]',
    );
  });
});
