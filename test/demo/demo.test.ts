// scripts/demo.sh end to end on the local stack: the user's command, run as a child process in its
// own namespace and task queue, must end with the outcome it announces, leave the Canary in that
// phase and leave Perch's worker and watcher running.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { getCanary } from '../support/canaries';
import { deleteNamespace } from '../support/namespace';
import { kubeConfig, stack } from '../support/stack';
import { Demo, type DemoRun, isAlive } from './demo-run';

const DEMO_TIMEOUT_MS = 9 * 60_000;
const kc = kubeConfig();
const apps = kc.makeApiClient(k8s.AppsV1Api);

async function primaryImage(namespace: string): Promise<string | undefined> {
  const d = await apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace });
  return d.spec?.template.spec?.containers[0]?.image;
}

/** The demo's output for a failed assertion: its last lines say where it stopped. */
function tail(run: DemoRun): string {
  return run.output.split('\n').slice(-60).join('\n');
}

function assertSummary(run: DemoRun, demo: Demo, outcome: 'Succeeded' | 'Failed'): void {
  assert.equal(run.code, 0, `demo.sh exited ${run.code}:\n${tail(run)}`);
  assert.match(run.output, new RegExp(`^Outcome: +${outcome} \\(as expected\\)$`, 'm'), tail(run));
  assert.match(run.output, /^Wall time: +\d+m\d\ds in all, \d+m\d\ds from the new image to the outcome$/m);
  assert.ok(run.output.includes(`${stack().temporalUi}/namespaces/default/workflows/canary%2F${demo.namespace}%2Fpodinfo`), 'the Temporal UI link');
  assert.ok(run.output.includes(`status ${demo.namespace}/podinfo --watch --until-finished`), 'the live view is the CLI');
  assert.ok(run.output.includes(`history ${demo.namespace}/podinfo`), 'the CLI commands to explore');
  assert.ok(run.output.includes('Take everything down: ./scripts/stack.sh down'));
  // For the record (the figure is a measurement, not a pass condition).
  console.log(`# demo.sh ${outcome === 'Failed' ? '--fast --rollback' : '--fast'}: ${/^Wall time: +(.*)$/m.exec(run.output)?.[1] ?? '?'}`);
}

describe('scripts/demo.sh', () => {
  const demos: Demo[] = [];
  after(async () => {
    for (const d of demos) {
      await d.stop();
      await deleteNamespace(kc, d.namespace);
    }
  });

  it('--fast promotes podinfo 6.0.1 live and leaves Perch running', async () => {
    const demo = new Demo('demo-test');
    demos.push(demo);
    const run = await demo.run(['--fast'], DEMO_TIMEOUT_MS);
    assertSummary(run, demo, 'Succeeded');
    assert.match(
      run.output,
      new RegExp(`^ +\\S+ +Normal +Promotion completed! Scaling down podinfo\\.${demo.namespace}$`, 'm'),
      "the rollout's events in the summary",
    );
    assert.doesNotMatch(run.output, /Initialization done!/, "only the rollout's events, not the bootstrap's");

    assert.equal((await getCanary(kc, demo.namespace, 'podinfo')).status?.phase, 'Succeeded');
    assert.equal(await primaryImage(demo.namespace), 'ghcr.io/stefanprodan/podinfo:6.0.1');
    // The demo's own worker ran the rollout, on the queue it was given, and it still runs.
    assert.equal(demo.workerTaskQueue(), demo.taskQueue);
    assert.ok(demo.workerMessages().includes(`Promotion completed! Scaling down podinfo.${demo.namespace}`));
    assert.ok(isAlive(demo.pid('worker')), 'the worker keeps running');
    assert.ok(isAlive(demo.pid('watcher')), 'the watcher keeps running');
  });

  it('--fast --rollback rolls podinfo 6.0.2 back under /status/500 traffic', async () => {
    const demo = new Demo('demo-rollback-test');
    demos.push(demo);
    const run = await demo.run(['--fast', '--rollback'], DEMO_TIMEOUT_MS);
    assertSummary(run, demo, 'Failed');
    assert.match(run.output, new RegExp(`Halt podinfo\\.${demo.namespace} advancement success rate \\d+(\\.\\d+)?% < 99%`));
    assert.match(run.output, new RegExp(`Rolling back podinfo\\.${demo.namespace} failed checks threshold reached 5`));

    const canary = await getCanary(kc, demo.namespace, 'podinfo');
    assert.equal(canary.status?.phase, 'Failed');
    assert.equal(canary.status?.canaryWeight, 0);
    assert.equal(await primaryImage(demo.namespace), 'ghcr.io/stefanprodan/podinfo:6.0.0', "the primary keeps the seed's image");
    assert.equal(demo.pid('errors'), undefined, 'the error traffic stops with the demo');
    assert.ok(isAlive(demo.pid('worker')), 'the worker keeps running');
    assert.ok(isAlive(demo.pid('watcher')), 'the watcher keeps running');
  });
});
