// The seed's workload for activity tests: Deployment podinfo (app: podinfo, podinfod 6.0.0 on 9898)
// reading a ConfigMap through env and a Secret through a volume, an HPA (2..4), and the seed Canary
// itself, stored in the cluster so generated objects get a real owner to be collected with.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { type Canary } from '../../../src/api/canary';
import { type CanarySettings } from '../../../src/api/canary-settings';
import { canarySettings } from '../../../src/api/defaults';
import { eventually } from '../../support/stack';

const root = join(__dirname, '..', '..', '..', '..');
export const IMAGE = 'ghcr.io/stefanprodan/podinfo:6.0.0';

export function podinfo(namespace: string, extra: Partial<k8s.V1PodSpec> = {}): k8s.V1Deployment {
  const labels = { app: 'podinfo' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'podinfo', namespace, labels, annotations: { team: 'perch' } },
    spec: {
      minReadySeconds: 1,
      revisionHistoryLimit: 5,
      progressDeadlineSeconds: 60,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } },
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'podinfod',
              image: IMAGE,
              ports: [{ name: 'http', containerPort: 9898 }],
              env: [{ name: 'PODINFO_UI_COLOR', valueFrom: { configMapKeyRef: { name: 'podinfo-config', key: 'color' } } }],
              volumeMounts: [{ name: 'token', mountPath: '/etc/token' }],
            },
          ],
          volumes: [{ name: 'token', secret: { secretName: 'podinfo-secret' } }],
          ...extra,
        },
      },
    },
  };
}

export function hpa(namespace: string): k8s.V2HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'podinfo', namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      minReplicas: 2,
      maxReplicas: 4,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 99 } } }],
    },
  };
}

/** Creates the ConfigMap, the Secret, the Deployment and (optionally) the HPA. */
export async function createWorkload(kc: k8s.KubeConfig, namespace: string, opts: { hpa?: boolean } = {}): Promise<void> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'podinfo-config' }, data: { color: '#34577c' } } });
  await core.createNamespacedSecret({ namespace, body: { metadata: { name: 'podinfo-secret' }, type: 'Opaque', stringData: { token: 's3cr3t' } } });
  await kc.makeApiClient(k8s.AppsV1Api).createNamespacedDeployment({ namespace, body: podinfo(namespace) });
  if (opts.hpa !== false) await kc.makeApiClient(k8s.AutoscalingV2Api).createNamespacedHorizontalPodAutoscaler({ namespace, body: hpa(namespace) });
}

/** Installs Perch's Canary CRD once per cluster (left in place: other suites use it too). */
export async function ensureCanaryCrd(kc: k8s.KubeConfig): Promise<void> {
  const api = kc.makeApiClient(k8s.ApiextensionsV1Api);
  // Typed on purpose: the client maps the model's renamed keys (x_kubernetes_*) back on the wire.
  const crd = k8s.loadYaml<k8s.V1CustomResourceDefinition>(readFileSync(join(root, 'deploy/crds/canary.yaml'), 'utf8'));
  try {
    await api.createCustomResourceDefinition({ body: crd });
  } catch (err) {
    if (!(err instanceof k8s.ApiException && (err as k8s.ApiException<unknown>).code === 409)) throw err;
  }
  await eventually('canaries.flagger.app established', 30_000, async () => {
    const got = await api.readCustomResourceDefinition({ name: 'canaries.flagger.app' });
    return got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
  });
}

/** The seed Canary for `namespace` (not stored), with `patch` applied. */
export function seedCanary(namespace: string, patch: (c: Canary) => void = () => undefined): Canary {
  const text = readFileSync(join(root, 'examples/seed/podinfo-canary.yaml'), 'utf8');
  const canary = k8s.loadYaml<{ doc: Canary }>(`doc:\n${text.replace(/^/gm, '  ')}`).doc;
  canary.metadata.namespace = namespace;
  patch(canary);
  return canary;
}

/**
 * Stores the seed Canary in `namespace` as the owner of what the activities create, and answers
 * the seed's settings and the stored Canary's uid. The stored copy targets a Deployment that does
 * not exist: a Perch watcher and worker someone else runs against the shared cluster then only
 * report it invalid, instead of initialising it and scaling this test's Deployment behind its back.
 */
export async function createSeedCanary(
  kc: k8s.KubeConfig,
  namespace: string,
  patch: (c: Canary) => void = () => undefined,
): Promise<{ settings: CanarySettings; canaryUid: string }> {
  await ensureCanaryCrd(kc);
  const canary = seedCanary(namespace, patch);
  const anchor = structuredClone(canary);
  anchor.spec.targetRef.name = 'perch-test-owner-only';
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  // Right after the CRD is created, discovery may lag a moment behind "Established".
  const created = await eventually(
    'Canary created',
    30_000,
    async () =>
      (await api.createNamespacedCustomObject({ group: 'flagger.app', version: 'v1beta1', namespace, plural: 'canaries', body: anchor })) as Canary,
  );
  return { settings: canarySettings(canary), canaryUid: created.metadata.uid ?? '' };
}

export async function deleteCanary(kc: k8s.KubeConfig, namespace: string, name: string): Promise<void> {
  await kc
    .makeApiClient(k8s.CustomObjectsApi)
    .deleteNamespacedCustomObject({ group: 'flagger.app', version: 'v1beta1', namespace, plural: 'canaries', name });
}

export const ready = (apps: k8s.AppsV1Api, namespace: string, name: string, replicas: number) => async (): Promise<true | undefined> => {
  const d = await apps.readNamespacedDeployment({ name, namespace });
  const s = d.status;
  const ok =
    (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
    s?.updatedReplicas === replicas &&
    s.availableReplicas === replicas &&
    s.replicas === replicas;
  return ok ? true : undefined;
};

/**
 * What Perch writes of an object: its generation, labels, annotations, owners and spec or data.
 * Controllers write status (an HPA's conditions, a Deployment's replica counts) whenever they like,
 * and move resourceVersion with it; an unchanged content is what "writes nothing" means.
 */
export function contentOf(o: { metadata?: k8s.V1ObjectMeta; spec?: unknown; data?: unknown }): string {
  const m = o.metadata ?? {};
  return `${m.name ?? ''}:${JSON.stringify([m.generation, m.labels, m.annotations, m.ownerReferences, o.spec, o.data])}`;
}
