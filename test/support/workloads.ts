// Small Deployments and Services for stack tests: podinfo-shaped, scheduled onto the kwok node.
import type * as k8s from '@kubernetes/client-node';

export function deployment(namespace: string, name: string, image: string, replicas: number): k8s.V1Deployment {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'podinfod', image, ports: [{ name: 'http', containerPort: 9898 }] }] },
      },
    },
  };
}

export function service(namespace: string, name: string, app: string): k8s.V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 9898 }] },
  };
}

/** Resolves once the Deployment reports `replicas` available replicas, all of its current spec. */
export async function isAvailable(apps: k8s.AppsV1Api, namespace: string, name: string, replicas: number): Promise<true | undefined> {
  const d = await apps.readNamespacedDeployment({ name, namespace });
  const s = d.status;
  const ok =
    (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
    (s?.updatedReplicas ?? 0) === replicas &&
    (s?.availableReplicas ?? 0) === replicas &&
    (s?.replicas ?? 0) === replicas;
  return ok ? true : undefined;
}
