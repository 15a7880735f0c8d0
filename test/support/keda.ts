// KEDA's ScaledObject CRD, taken from KEDA's own Go module (fetched through the Go module proxy into
// the module cache, as the stack's Go tools are), so ScaledObjects are stored and validated by the
// kube-apiserver exactly as in a cluster with KEDA. The KEDA operator itself is not run: the tests
// check what Perch writes (the primary's ScaledObject, the pause annotation), not KEDA's scaling.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { apply } from './manifests';
import { eventually } from './stack';

export const KEDA_MODULE = 'github.com/kedacore/keda/v2@v2.16.1';

export async function installScaledObjectCrd(kc: k8s.KubeConfig): Promise<void> {
  const out = execFileSync('go', ['mod', 'download', '-json', KEDA_MODULE], { encoding: 'utf8', cwd: '/tmp', timeout: 300_000 });
  const { Dir: dir } = JSON.parse(out) as { Dir: string };
  const crd = k8s.loadYaml<k8s.KubernetesObject>(readFileSync(join(dir, 'config/crd/bases/keda.sh_scaledobjects.yaml'), 'utf8'));
  await apply(kc, [crd]);
  const api = kc.makeApiClient(k8s.ApiextensionsV1Api);
  await eventually('scaledobjects.keda.sh established', 30_000, async () => {
    const c = await api.readCustomResourceDefinition({ name: 'scaledobjects.keda.sh' });
    return c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True') ? true : undefined;
  });
}
