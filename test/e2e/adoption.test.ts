// Taking a Canary over from Flagger: Flagger 1.44 (the binary scripts/install/flagger.sh builds)
// initialises the seed's Canary, so its status holds Flagger's lastAppliedSpec and its primary the
// target's revision; then Flagger stops and Perch starts on the same namespace. Perch adopts that
// revision without analysing it, and rolls out the next one as usual. (Flagger is not asked to
// promote a revision first: on a loaded machine its analysis restarted again and again at the last
// step and never finished within bounds; the state Perch takes over is the same.) The seed's retries get Contour's own retryOn (5xx): Flagger 1.44 writes
// `retryOn: [""]` when it is missing, which Contour 1.33 refuses (docs/compatibility.md).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import { type Canary } from '../../src/api/canary';
import { FlaggerController } from '../bench/controllers';
import { stackActivities } from '../activities/stack-activities';
import { toolsBin } from '../deploy/install';
import { getCanary } from '../support/canaries';
import { apply } from '../support/manifests';
import { Scenario } from '../support/scenario';
import { seedCanary, seedManifests } from '../support/seed';
import { eventually } from '../support/stack';

const FLAGGER = join(toolsBin, 'flagger');
const IMAGE = 'ghcr.io/stefanprodan/podinfo';

describe('adoption from Flagger', () => {
  const s = new Scenario('e2e-adoption');
  const ns = s.namespace;
  const flagger = new FlaggerController(ns, { flagger: FLAGGER });
  const { inspectTarget } = stackActivities();
  /** The status Flagger left behind when it stopped. */
  let left: Canary | undefined;

  const settledUnderFlagger = (phase: string, image: string) =>
    eventually(`Flagger to leave the Canary ${phase} at ${image}`, 240_000, async () => {
      const c = await getCanary(s.kc, ns, 'podinfo');
      return c.status?.phase === phase && (await s.primaryImage()) === image ? c : undefined;
    });

  before(async () => {
    assert.ok(existsSync(FLAGGER), `no Flagger at ${FLAGGER}: scripts/test.sh builds it (scripts/install/flagger.sh)`);
    // Flagger runs first, alone on the namespace; Perch's worker and watcher start once it stopped.
    await s.given(
      () => Promise.resolve(),
      async () => {
        const canary = seedCanary(undefined, ns);
        if (!canary.spec.service?.retries) throw new Error('the seed Canary changed shape: no service.retries');
        canary.spec.service.retries.retryOn = '5xx';
        await apply(s.kc, seedManifests('podinfo.yaml', ns));
        await apply(s.kc, [canary as unknown as k8s.KubernetesObject]);
        await apply(s.kc, seedManifests('podinfo-ingress.yaml', ns));
        await flagger.start();
        try {
          left = await settledUnderFlagger('Initialized', `${IMAGE}:6.0.0`);
        } finally {
          await flagger.stop();
        }
      },
    );
  });
  after(async () => {
    await flagger.stop();
    await s.tearDown();
  });

  it('adopts the revision Flagger initialised without analysing it', async () => {
    const revision = (await inspectTarget({ namespace: ns, name: 'podinfo' })).revision;
    assert.notEqual(left?.status?.lastAppliedSpec, revision, "Flagger's lastAppliedSpec is in its own format");
    const c = await eventually('Perch to write its own revision', 120_000, async () => {
      const got = await s.canary();
      return got.status?.lastAppliedSpec === revision ? got : undefined;
    });
    assert.equal(c.status?.phase, 'Initialized');
    assert.equal(c.status?.lastPromotedSpec, revision);
    assert.equal(await s.primaryImage(), `${IMAGE}:6.0.0`);
    await s.thenIdle();
    const said = s.messages();
    assert.ok(
      said.includes(`Adopted ${s.canaryId}: podinfo-primary.${ns} already runs the revision of ${s.canaryId}, no analysis needed`),
      said.join('\n'),
    );
    const rolled = said.filter((m) => m.startsWith('New revision detected') || m.startsWith('Advance') || m.startsWith('Starting canary analysis'));
    assert.deepEqual(rolled, [], 'Perch analysed the revision Flagger had initialised');
    assert.equal((await s.canary()).status?.lastAppliedSpec, revision);
  });

  it('analyses and promotes the next revision as usual', async () => {
    const since = await s.whenImageChanges('6.0.1');
    await s.thenWeight(5, since);
    await s.thenPhase('Succeeded', { since });
    assert.equal(await s.primaryImage(), `${IMAGE}:6.0.1`);
    const said = s.messages();
    assert.ok(said.includes(`Advance ${s.canaryId} canary weight 50`), said.join('\n'));
    assert.ok(said.includes(`Promotion completed! Scaling down ${s.canaryId}`), said.join('\n'));
  });
});
