// Bad input gets a clear message on the Canary (status condition and Event), is not retried in a
// loop, and does not disturb a good Canary rolling out beside it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { type Canary } from '../../src/api/canary';
import { getCanary } from '../support/canaries';
import { canaryEvents } from '../support/events';
import { apply } from '../support/manifests';
import { Scenario } from '../support/scenario';
import { seedCanary, TEST_INTERVALS } from '../support/seed';
import { eventually, stack } from '../support/stack';
import { deployment } from '../support/workloads';
import { reconcileSignal } from '../../src/workflows/messages';

const ns = 'e2e-bad';

/** The seed's Canary under another name and target, edited by `edit`. */
function canary(name: string, target: string, edit: (c: Canary) => void = () => undefined): k8s.KubernetesObject {
  const c = seedCanary(TEST_INTERVALS, ns);
  c.metadata.name = name;
  c.spec.targetRef.name = target;
  delete c.spec.autoscalerRef;
  edit(c);
  return c as unknown as k8s.KubernetesObject;
}

describe('bad input', () => {
  const s = new Scenario(ns);
  const objects = (): k8s.KubernetesObject[] => {
    const unlabelled = deployment(ns, 'unlabelled', 'ghcr.io/stefanprodan/podinfo:6.0.0', 1);
    unlabelled.spec!.selector = { matchLabels: { tier: 'web' } };
    unlabelled.spec!.template.metadata = { labels: { tier: 'web' } };
    return [
      unlabelled,
      deployment(ns, 'web-a', 'ghcr.io/stefanprodan/podinfo:6.0.0', 1),
      deployment(ns, 'web-b', 'ghcr.io/stefanprodan/podinfo:6.0.0', 1),
      deployment(ns, 'web-c', 'ghcr.io/stefanprodan/podinfo:6.0.0', 1),
      {
        apiVersion: 'flagger.app/v1beta1',
        kind: 'MetricTemplate',
        metadata: { name: 'broken', namespace: ns },
        spec: { provider: { type: 'prometheus', address: stack().prometheus }, query: 'sum(rate(envoy_cluster_upstream_rq[{{ interval }}]' },
      } as k8s.KubernetesObject,
      canary('missing-target', 'nope'),
      canary('no-selector', 'unlabelled'),
      canary('unknown-metric', 'web-a', (c) => {
        c.spec.analysis.metrics = [{ name: 'error-rate', thresholdRange: { max: 1 } }];
      }),
      canary('broken-promql', 'web-a', (c) => {
        c.spec.analysis.metrics = [{ name: 'broken-metric', templateRef: { name: 'broken' }, thresholdRange: { max: 1 } }];
        c.spec.analysis.webhooks = [];
      }),
      canary('never-ready', 'web-c', (c) => {
        c.spec.progressDeadlineSeconds = 15;
        c.spec.analysis.webhooks = [];
      }),
      canary('bad-webhook', 'web-b', (c) => {
        c.spec.analysis.webhooks = [{ name: 'smoke', type: 'pre-rollout', url: 'http://no-such-service.nowhere/', timeout: '5s' }];
      }),
    ];
  };

  // The good Canary starts rolling out first; every bad one arrives while it is under way.
  before(async () => {
    await s.given();
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
    goodSince = await s.whenImageChanges('6.0.1');
    await s.thenWeight(5, goodSince);
    await apply(s.kc, objects());
  });
  let goodSince = 0;
  after(() => s.tearDown());

  const invalid = (name: string, pattern: RegExp) => () => s.thenInvalid(name, pattern);

  it('reports a missing target', invalid('missing-target', /target Deployment nope\.e2e-bad not found/));
  it('reports a target without a selector label', invalid('no-selector', /unlabelled\.e2e-bad spec\.selector\.matchLabels must contain one of/));
  it('reports a metric that is neither built in nor templated', invalid('unknown-metric', /error-rate/));

  // The CRD's schema (Flagger's) catches some mistakes at admission; what it lets through, Perch reports.
  it('rejects or reports no step weights, an out-of-range maxWeight and an unparsable interval', async () => {
    for (const [name, edit, pattern] of [
      [
        'no-steps',
        (c: Canary) => {
          delete c.spec.analysis.stepWeight;
          delete c.spec.analysis.maxWeight;
        },
        /iterations|stepWeight/,
      ],
      [
        'heavy',
        (c: Canary) => {
          c.spec.analysis.maxWeight = 150;
        },
        /maxWeight/,
      ],
      [
        'whenever',
        (c: Canary) => {
          c.spec.analysis.interval = 'soon';
        },
        /interval/,
      ],
    ] as const) {
      const rejected = await apply(s.kc, [canary(name, 'web-b', edit)]).then(
        () => undefined,
        (err: unknown) => String(err),
      );
      if (rejected !== undefined) {
        assert.match(rejected, pattern, 'the API server rejects it with the field named');
      } else {
        await invalid(name, pattern)();
      }
    }
  });

  it('does not retry an invalid Canary in a loop', async () => {
    // Given a Canary marked invalid
    await invalid('missing-target', /target Deployment nope\.e2e-bad not found/)();
    // Then its workflow waits for a change and nothing else: no activity, timer or task in flight
    const view = await s.thenIdle('missing-target');
    assert.equal(view.generation, (await getCanary(s.kc, ns, 'missing-target')).metadata.generation, 'it looked at the current spec');
    // When a change notice that changes nothing arrives, it looks once and waits again
    const before = (await s.history('missing-target')).length;
    await (await s.workflow('missing-target')).signal(reconcileSignal, { reason: 'test: nothing changed' });
    await eventually('the notice taken', 60_000, async () => ((await s.history('missing-target')).length > before ? true : undefined));
    await s.thenIdle('missing-target');
    const c = await getCanary(s.kc, ns, 'missing-target');
    assert.ok(
      c.status?.conditions?.some((x) => x.reason === 'Invalid'),
      'still reported invalid',
    );
  });

  /** Waits for `canary` to initialise, changes its target's template, and returns its Events once it failed. */
  const rolloutFails = async (canary: string, target: string, change: object): Promise<string[]> => {
    const phaseIs = (phase: string) => async () => ((await getCanary(s.kc, ns, canary)).status?.phase === phase ? true : undefined);
    await eventually(`${canary} initialized`, 60_000, phaseIs('Initialized'));
    await s.apps.patchNamespacedDeployment(
      { name: target, namespace: ns, body: { spec: { template: change } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await eventually(`${canary} failed`, 120_000, phaseIs('Failed'));
    return canaryEvents(s.kc, ns, canary);
  };
  const newRevision = { metadata: { annotations: { rev: '2' } } };

  it('fails the analysis of a MetricTemplate with broken PromQL, naming the error', async () => {
    const events = await rolloutFails('broken-promql', 'web-a', newRevision);
    assert.ok(
      events.some((e) => /Metric query failed for broken-metric: .*parse error/i.test(e)),
      events.join('\n'),
    );
  });

  it('fails a pre-rollout webhook whose URL does not resolve, naming the host', async () => {
    const events = await rolloutFails('bad-webhook', 'web-b', newRevision);
    assert.ok(
      events.some((e) => /pre-rollout check smoke failed.*no-such-service\.nowhere/.test(e)),
      events.join('\n'),
    );
  });

  it('rolls back a canary that never becomes ready once progressDeadlineSeconds pass, saying why', async () => {
    // No node matches: the new revision's pods stay Pending.
    const events = await rolloutFails('never-ready', 'web-c', { spec: { nodeSelector: { nowhere: 'true' } } });
    assert.ok(
      events.some((e) => /^Rolling back never-ready\.e2e-bad progress deadline exceeded canary deployment web-c\.e2e-bad not ready/.test(e)),
      events.join('\n'),
    );
    const web = await s.apps.readNamespacedDeployment({ name: 'web-c', namespace: ns });
    assert.equal(web.spec?.replicas, 0, 'the canary is scaled back to zero');
  });

  it('meanwhile rolls the good Canary out undisturbed', async () => {
    await s.thenPhase('Succeeded', { since: goodSince });
    const steps = s.messages().filter((m) => m.startsWith(`Advance ${s.canaryId} canary weight`));
    assert.equal(steps.length, 10, steps.join('\n'));
    const { lastRollout } = await s.view();
    const tookMs = Date.parse(lastRollout?.finishedAt ?? '') - Date.parse(lastRollout?.startedAt ?? '');
    assert.ok(tookMs < 180_000, `the rollout took ${tookMs} ms`);
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.1');
  });
});
