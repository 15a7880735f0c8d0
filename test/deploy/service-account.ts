// Perch's own identity for the deploy tests: a token for an installed ServiceAccount from the
// TokenRequest API, in a kubeconfig for the stack's API server that carries nothing else, and the
// rules the API server grants it.
import { writeFileSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import { kubeConfig } from '../support/stack';
import { expandRules, withoutDefaults } from './rbac-rules';

export interface ServiceAccountRef {
  name: string;
  namespace: string;
}

/**
 * Writes to `path` a kubeconfig that authenticates with a one-hour token of `sa` only; its context's
 * namespace is `namespace`. Returns a KubeConfig loaded from it.
 */
export async function writeServiceAccountKubeconfig(sa: ServiceAccountRef, path: string, namespace: string): Promise<k8s.KubeConfig> {
  const admin = kubeConfig();
  const request = await admin.makeApiClient(k8s.CoreV1Api).createNamespacedServiceAccountToken({
    ...sa,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = request.status?.token;
  if (!token) throw new Error('TokenRequest returned no token');
  const cluster = admin.getCurrentCluster();
  if (!cluster?.caData) throw new Error('the stack kubeconfig has no inline CA');
  writeFileSync(
    path,
    k8s.dumpYaml({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'perch',
      clusters: [{ name: 'stack', cluster: { server: cluster.server, 'certificate-authority-data': cluster.caData } }],
      users: [{ name: 'perch', user: { token } }],
      contexts: [{ name: 'perch', context: { cluster: 'stack', user: 'perch', namespace } }],
    }),
    { mode: 0o600 },
  );
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

/** The permissions the API server grants `kc`'s identity in `namespace`, as flat `group/resource:verb`s. */
export async function grantedIn(kc: k8s.KubeConfig, namespace: string): Promise<string[]> {
  const review = await kc.makeApiClient(k8s.AuthorizationV1Api).createSelfSubjectRulesReview({ body: { spec: { namespace } } });
  if (review.status?.incomplete !== false) throw new Error(`the rules review for ${namespace} is incomplete`);
  return withoutDefaults(expandRules(review.status.resourceRules));
}
