// The stack starts from nothing, every time: three rounds of `scripts/stack.sh up` from an empty run
// folder and `clean`, on a stack of this test's own (port offset 600), so the stack the other tests
// use is not touched. Each round the apiserver, Contour and Temporal must answer.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { Connection } from '@temporalio/client';
import { HTTPProxies } from '../support/httpproxies';
import { eventually, kubeConfig, stack } from '../support/stack';
import { stackClean, stackUp, useOwnStack } from '../support/stack-parts';

describe('the local stack from an empty run folder', () => {
  const run = useOwnStack(600);

  before(stackClean);
  after(stackClean);

  it('starts three times in a row, each time with the apiserver, Contour and Temporal answering', async (t) => {
    for (const round of [1, 2, 3]) {
      assert.equal(existsSync(run), false, `${run} is empty before round ${round}`);
      const started = Date.now();
      await stackUp();
      t.diagnostic(`round ${round}: stack up from an empty run folder in ${((Date.now() - started) / 1000).toFixed(1)} s`);

      const kc = kubeConfig();
      const node = await kc.makeApiClient(k8s.CoreV1Api).readNode({ name: 'kwok-node-0' });
      assert.equal(node.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True', 'the fake node is Ready');

      // Contour answers by judging an HTTPProxy: its Service does not exist, so it is invalid.
      const proxies = new HTTPProxies(kc);
      await proxies.create({
        metadata: { name: 'fresh', namespace: 'default' },
        spec: { virtualhost: { fqdn: 'fresh.example.com' }, routes: [{ services: [{ name: 'missing', port: 80 }] }] },
      });
      await eventually('Contour to report the HTTPProxy invalid', 30_000, async () =>
        (await proxies.status('default', 'fresh')) === 'invalid' ? true : undefined,
      );

      const connection = await Connection.connect({ address: stack().temporal });
      try {
        const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
        assert.equal(ns.namespaceInfo?.name, 'default');
        const attributes = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
        assert.ok(attributes.customAttributes?.CanaryName !== undefined, "Perch's search attributes are registered");
      } finally {
        await connection.close();
      }

      await stackClean();
    }
  });
});
