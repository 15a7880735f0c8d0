// Pure: the revision hash, config reference scanning and Flagger's config checksums (no cluster).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import { configChecksum, configMapChecksum, revisionOf, scanConfigRefs, secretChecksum, trackedConfigRefs } from '../../../src/kubernetes/revision';

const template = (image = 'podinfo:6.0.0'): k8s.V1PodTemplateSpec => ({
  metadata: { labels: { app: 'podinfo' } },
  spec: { containers: [{ name: 'podinfod', image, ports: [{ containerPort: 9898 }] }] },
});

const sha16 = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);

describe('revisionOf', () => {
  it('is a 16-digit hex hash, stable for the same template and configs', () => {
    const r = revisionOf(template(), { 'configmap/a': '1' });
    assert.match(r, /^[0-9a-f]{16}$/);
    assert.equal(revisionOf(template(), { 'configmap/a': '1' }), r);
  });

  it('changes with the image, a label, an annotation or a config checksum', () => {
    const base = revisionOf(template(), { 'configmap/a': '1' });
    assert.notEqual(revisionOf(template('podinfo:6.0.1'), { 'configmap/a': '1' }), base);
    assert.notEqual(revisionOf(template(), { 'configmap/a': '2' }), base);
    assert.notEqual(revisionOf(template(), {}), base);
    const labelled = template();
    labelled.metadata = { labels: { app: 'podinfo', tier: 'web' } };
    assert.notEqual(revisionOf(labelled, { 'configmap/a': '1' }), base);
    const restarted = template();
    restarted.metadata = { labels: { app: 'podinfo' }, annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } };
    assert.notEqual(revisionOf(restarted, { 'configmap/a': '1' }), base);
  });

  it('ignores key order, undefined vs absent fields, null (raw watch JSON) and creationTimestamp', () => {
    const typed = {
      metadata: { labels: { app: 'podinfo' }, creationTimestamp: new Date('2024-01-01T00:00:00Z'), annotations: undefined },
      spec: { restartPolicy: undefined, containers: [{ image: 'podinfo:6.0.0', name: 'podinfod', ports: [{ containerPort: 9898 }] }] },
    };
    const raw = JSON.parse(
      '{"spec":{"containers":[{"ports":[{"containerPort":9898}],"name":"podinfod","image":"podinfo:6.0.0"}],"nodeSelector":null},' +
        '"metadata":{"creationTimestamp":"2024-01-01T00:00:00Z","labels":{"app":"podinfo"}}}',
    ) as k8s.V1PodTemplateSpec;
    assert.equal(revisionOf(typed as k8s.V1PodTemplateSpec, { b: '2', a: '1' }), revisionOf(raw, { a: '1', b: '2' }));
    assert.equal(revisionOf(raw, {}), revisionOf(template(), {}));
  });
});

describe('configChecksum (Flagger-compatible)', () => {
  it('hashes Go JSON of the data with sorted keys: first 8 bytes of SHA-256, hex', () => {
    assert.equal(configChecksum({ b: '2', a: '1' }), sha16('{"a":"1","b":"2"}'));
  });

  it('escapes HTML characters as Go does', () => {
    assert.equal(configChecksum({ k: '<a&b>' }), sha16('{"k":"\\u003ca\\u0026b\\u003e"}'));
  });

  it('hashes absent or empty data as Go nil ("null")', () => {
    assert.equal(configChecksum(undefined), sha16('null'));
    assert.equal(configChecksum({}), sha16('null'));
  });

  it("keeps Flagger's checksum without binaryData and notices binaryData changes", () => {
    const cm = (binaryData?: Record<string, string>): k8s.V1ConfigMap => ({
      metadata: { name: 'c' },
      data: { a: '1' },
      ...(binaryData && { binaryData }),
    });
    assert.equal(configMapChecksum(cm()), configChecksum({ a: '1' }));
    assert.notEqual(configMapChecksum(cm({ b: 'AA==' })), configMapChecksum(cm({ b: 'AQ==' })));
  });

  it('skips objects with tracking disabled and Secrets of untracked types', () => {
    assert.equal(configMapChecksum({ metadata: { annotations: { 'flagger.app/config-tracking': 'disabled' } }, data: { a: '1' } }), undefined);
    assert.equal(secretChecksum({ type: 'kubernetes.io/dockerconfigjson', data: { a: 'AA==' } }), undefined);
    assert.equal(secretChecksum({ type: 'kubernetes.io/service-account-token', data: { a: 'AA==' } }), undefined);
    assert.equal(secretChecksum({ type: 'kubernetes.io/tls', data: { a: 'AA==' } }), configChecksum({ a: 'AA==' }));
    assert.equal(secretChecksum({ data: { a: 'AA==' } }), configChecksum({ a: 'AA==' }), 'no type means Opaque');
  });
});

describe('trackedConfigRefs', () => {
  const t: k8s.V1PodTemplateSpec = {
    spec: {
      volumes: [
        { name: 'v1', configMap: { name: 'cm-vol' } },
        { name: 'v2', secret: { secretName: 'sec-vol', optional: true } },
        { name: 'v3', projected: { sources: [{ configMap: { name: 'cm-proj' } }, { secret: { name: 'sec-proj' } }] } },
        { name: 'v4', emptyDir: {} },
      ],
      initContainers: [{ name: 'init', envFrom: [{ configMapRef: { name: 'cm-init' } }] }],
      containers: [
        {
          name: 'app',
          env: [
            { name: 'A', valueFrom: { configMapKeyRef: { name: 'cm-env', key: 'a' } } },
            { name: 'B', valueFrom: { secretKeyRef: { name: 'sec-env', key: 'b', optional: false } } },
            { name: 'C', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'D', value: 'plain' },
            { name: 'E', valueFrom: { configMapKeyRef: { name: 'cm-vol', key: 'again' } } },
          ],
          envFrom: [{ secretRef: { name: 'sec-from' } }],
        },
      ],
    },
  };

  it('finds volumes, projected sources, env, envFrom of containers and init containers, once each', () => {
    assert.deepEqual(trackedConfigRefs(t), {
      configMaps: ['cm-env', 'cm-init', 'cm-proj', 'cm-vol'],
      secrets: ['sec-env', 'sec-from', 'sec-proj', 'sec-vol'],
    });
  });

  it('marks only explicit optional: false references as mandatory', () => {
    const mandatory = scanConfigRefs(t)
      .filter((r) => r.mandatory)
      .map((r) => `${r.kind}/${r.name}`);
    assert.deepEqual(mandatory, ['secret/sec-env']);
  });

  it('answers nothing for a template without references', () => {
    assert.deepEqual(trackedConfigRefs(template()), { configMaps: [], secrets: [] });
  });
});
