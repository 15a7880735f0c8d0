// The install manifests against the real API server: every build is admitted by server-side apply
// with --dry-run=server (schema, defaulting and admission, nothing stored), and the evaluation
// install is applied for real until its Deployments are available (kwok plays their pods, so no
// image is ever pulled).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { eventually, kubeConfig } from '../support/stack';
import { isAvailable } from '../support/workloads';
import { applyServerSide, build, buildYaml, installEvaluation, kustomizations } from './install';

describe('install manifests on the API server', () => {
  before(() => {
    // A dry run of the Deployments needs their namespace and of CRs their CRDs; neither is in
    // every build, so the evaluation install (which has both) goes first.
    installEvaluation();
  });

  for (const dir of kustomizations()) {
    it(`${dir}: every object is admitted by server-side apply (dry run)`, () => {
      const out = applyServerSide({ yaml: buildYaml(dir) }, true);
      const reported = out
        .trim()
        .split('\n')
        .filter((l) => l.endsWith('(server dry run)'));
      // kubectl names each as kind[.group]/name, e.g. deployment.apps/perch-worker.
      for (const o of build(dir)) {
        const line = new RegExp(`^${o.kind?.toLowerCase()}(\\.[a-z0-9.-]+)?/${o.metadata?.name} `);
        assert.ok(
          reported.some((l) => line.test(l)),
          `${o.kind} ${o.metadata?.name} not admitted:\n${out}`,
        );
      }
    });
  }

  it('the evaluation install brings up the worker, the watcher and Temporal', async () => {
    const apps = kubeConfig().makeApiClient(k8s.AppsV1Api);
    for (const name of ['perch-worker', 'perch-watcher', 'temporal']) {
      await eventually(`${name} available`, 120_000, () => isAvailable(apps, 'perch-system', name, 1));
      const d = await apps.readNamespacedDeployment({ name, namespace: 'perch-system' });
      assert.equal(d.metadata?.labels?.['app.kubernetes.io/part-of'], 'perch');
    }
    const pods = await kubeConfig().makeApiClient(k8s.CoreV1Api).listNamespacedPod({
      namespace: 'perch-system',
      labelSelector: 'app.kubernetes.io/name=perch-worker',
    });
    assert.ok(
      pods.items.some((p) => p.spec?.containers[0]?.image === 'perch:0.1.0' && p.spec.serviceAccountName === 'perch'),
      'a worker pod runs perch:0.1.0 as the perch ServiceAccount',
    );
  });
});
