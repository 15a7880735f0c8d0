// Hostile Canaries on the real stack: ~200 specs generated (seeded, the seed printed) from a valid
// Canary by the same mutations as the unit properties (wrong types, huge strings, deep nesting,
// unicode, bad numbers and durations, missing and extra fields) are applied to the apiserver while
// the worker and watcher run. Each is refused by the CRD schema, or reported once on its status and
// as an Event; nothing loops on them afterwards; the worker and watcher survive; and the seed
// Canary, beside them in the same namespace, promotes meanwhile. PERCH_HOSTILE_SEED replays a run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import fc from 'fast-check';
import { type Canary } from '../../src/api/canary';
import { canaryWorkflowId } from '../../src/workflows/messages';
import { mutate, mutation, validCanary } from '../api/hostile/specs';
import { Scenario } from '../support/scenario';
import { eventually } from '../support/stack';
import { waitsOnlyForSignals } from '../support/workflow-history';

const COUNT = 200;
const SEED = Number(process.env.PERCH_HOSTILE_SEED ?? Math.floor(Math.random() * 2 ** 31));

interface Report {
  message: string;
  events: number;
  history: number;
}

describe('hostile Canaries on the real stack', () => {
  // One worker and one watcher for the seed and the hostile Canaries, all in the scenario's namespace:
  // Perch watching every namespace would take other test files' Canaries too. The watcher's resync
  // (every Canary signalled again, 5 min by default) is put out of the test's reach: on a loaded
  // machine the test outlasts one, and its signal, which changes nothing, still adds events to
  // every history that "no loop" compares.
  const s = new Scenario('e2e-hostile', { PERCH_RESYNC_PERIOD: '24h' });
  const HOSTILE_NS = s.namespace;
  const custom = () => s.kc.makeApiClient(k8s.CustomObjectsApi);
  const core = () => s.kc.makeApiClient(k8s.CoreV1Api);
  const accepted: string[] = [];
  const refused = new Map<number, number>();
  let since = 0;

  before(async () => {
    console.log(`# hostile specs: seed ${SEED} (PERCH_HOSTILE_SEED=${SEED} replays it), ${COUNT} specs`);
    await s.given();
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
    since = await s.whenImageChanges('6.0.1');
  });
  after(() => s.tearDown());

  it('refuses each spec at admission, or reports it once on its status and as an Event', async () => {
    const mutations = fc.sample(mutation, { seed: SEED, numRuns: COUNT });
    for (const [i, m] of mutations.entries()) {
      const body = mutate(validCanary(`h-${i}`, HOSTILE_NS), m);
      // No Deployment of that name exists: a spec Perch accepts is still reported (target not found).
      const spec = body.spec as { targetRef?: { name?: unknown } } | undefined;
      if (m.path !== 'spec.targetRef.name' && spec?.targetRef && typeof spec.targetRef === 'object') spec.targetRef.name = `ghost-${i}`;
      const status = await custom()
        .createNamespacedCustomObject({ group: 'flagger.app', version: 'v1beta1', namespace: HOSTILE_NS, plural: 'canaries', body })
        .then(
          () => 0,
          (err: unknown) => (err as { code?: number }).code ?? -1,
        );
      if (status === 0) accepted.push(`h-${i}`);
      else refused.set(status, (refused.get(status) ?? 0) + 1);
    }
    console.log(`# applied ${COUNT}: ${accepted.length} admitted, refused by status ${JSON.stringify(Object.fromEntries(refused))}`);
    assert.deepEqual(
      [...refused.keys()].filter((code) => code !== 422),
      [],
      'the apiserver refuses with 422 Invalid, nothing else',
    );
    const reports = await reported(accepted);
    for (const [name, r] of reports) assert.ok(r.events === 1, `${name}: "${r.message}" recorded ${r.events} times`);
    console.log(
      `# reported ${reports.size} admitted specs, e.g. ${[...new Set([...reports.values()].map((r) => r.message.slice(0, 100)))].slice(0, 6).join(' | ')}`,
    );
  });

  it('does not loop on them: Events and histories unchanged once the seed has promoted', async () => {
    const first = await reported(accepted);
    await s.thenPhase('Succeeded', { since });
    const later = await reported(accepted);
    for (const [name, r] of first) {
      assert.deepEqual(later.get(name), r, `${name} moved on after being reported`);
    }
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.1', 'the seed promoted meanwhile');
  });

  it('leaves the worker and the watcher running', () => {
    assert.ok(s.perch.pid('worker') !== undefined, 'worker alive');
    assert.ok(s.perch.pid('watcher') !== undefined, 'watcher alive');
  });

  /** Once each of `names` has its Invalid condition, an Event with its message and an idle workflow: what was recorded. */
  async function reported(names: readonly string[]): Promise<Map<string, Report>> {
    const client = await s.client();
    return eventually(`${names.length} hostile Canaries reported`, 240_000, async () => {
      const list = (await custom().listNamespacedCustomObject({
        group: 'flagger.app',
        version: 'v1beta1',
        namespace: HOSTILE_NS,
        plural: 'canaries',
      })) as {
        items: Canary[];
      };
      const events = (await core().listNamespacedEvent({ namespace: HOSTILE_NS })).items;
      const out = new Map<string, Report>();
      for (const name of names) {
        const c = list.items.find((x) => x.metadata.name === name);
        const condition = c?.status?.conditions?.find((x) => x.type === 'Promoted' && x.status === 'False');
        const message = condition?.message ?? '';
        if (!message) return undefined;
        const mine = events.filter((e) => e.involvedObject.name === name && e.message !== undefined && message.includes(e.message.slice(0, 60)));
        if (mine.length === 0) return undefined;
        const history = await client.workflow.getHandle(canaryWorkflowId(HOSTILE_NS, name)).fetchHistory();
        if (!waitsOnlyForSignals(history.events ?? [])) return undefined;
        out.set(name, { message, events: mine.reduce((n, e) => n + (e.count ?? 1), 0), history: history.events?.length ?? 0 });
      }
      return out;
    });
  }
});
