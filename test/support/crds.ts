// Perch's CustomResourceDefinitions, applied from deploy/crds as a user would.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { apply } from './manifests';
import { eventually } from './stack';

const crdDir = join(__dirname, '..', '..', '..', 'deploy', 'crds');

export async function installCrds(kc: k8s.KubeConfig): Promise<void> {
  const crds = readdirSync(crdDir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => k8s.loadAllYaml(readFileSync(join(crdDir, f), 'utf8')) as k8s.KubernetesObject[]);
  await apply(kc, crds);
  const api = kc.makeApiClient(k8s.ApiextensionsV1Api);
  for (const crd of crds) {
    await eventually(`${crd.metadata?.name} established`, 30_000, async () => {
      const c = await api.readCustomResourceDefinition({ name: crd.metadata?.name ?? '' });
      return c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True') ? true : undefined;
    });
  }
}
