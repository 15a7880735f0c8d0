// Blue/Green on Contour: iterations without match conditions. While the iterations run, the apex
// routes everything to the primary and the new version is reachable only through the
// podinfo-canary Service; after the last iteration all traffic switches to the canary for one more
// analysed interval, then the canary is promoted.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { type Canary } from '../../src/api/canary';
import { canaryEvents, inOrder } from '../support/events';
import { httpRequest, type Reply } from '../support/http';
import { Scenario } from '../support/scenario';
import { applySeed, seedCanary, seedHost, TEST_INTERVALS } from '../support/seed';
import { eventually, stack } from '../support/stack';

const ns = 'e2e-bluegreen';
const iterations = 3;
const oldVersion = '6.0.0';
const newVersion = '6.0.1';

/**
 * The seed's Canary turned blue/green: iterations in place of the weight steps. Its metrics are
 * dropped: they measure Envoy's canary cluster, which gets no requests before the switch, so every
 * iteration would count "no values found". The canary is checked the blue/green way instead, by
 * webhooks that call the podinfo-canary Service directly through the load tester.
 */
function blueGreenCanary(): Canary {
  const c = seedCanary(TEST_INTERVALS, ns);
  const a = c.spec.analysis;
  delete a.maxWeight;
  delete a.stepWeight;
  a.iterations = iterations;
  a.metrics = [];
  a.webhooks = [
    ...(a.webhooks ?? []).filter((h) => h.type === 'pre-rollout'),
    {
      name: 'canary-version',
      type: 'rollout',
      url: 'http://flagger-loadtester.test/',
      timeout: '5s',
      metadata: { type: 'bash', cmd: `curl -s http://podinfo-canary.${ns}/ | grep ${newVersion}` },
    },
  ];
  return c;
}

interface Podinfo {
  hostname: string;
  version: string;
}

function parse(reply: Reply): Podinfo {
  assert.equal(reply.status, 200, reply.body);
  return JSON.parse(reply.body) as Podinfo;
}

/** GET / on the apex through the simulated Envoy, by the root proxy's virtual host. */
async function viaApex(): Promise<Podinfo> {
  return parse(await httpRequest(`${stack().envoyListener}/`, { headers: { host: seedHost(ns) } }));
}

/** GET / on a Service by its in-cluster name, through the simulator's cluster proxy (as a pod would). */
function viaService(serviceName: string): Promise<Podinfo> {
  const proxy = new URL(stack().clusterProxy);
  const url = `http://${serviceName}.${ns}/`;
  return new Promise((resolve, reject) => {
    const req = request({ hostname: proxy.hostname, port: proxy.port, path: url, headers: { host: new URL(url).host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => {
        try {
          resolve(parse({ status: res.statusCode ?? 0, body }));
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const isPrimaryPod = (p: Podinfo) => p.hostname.startsWith('podinfo-primary-');

describe('Blue/Green: iterations, then all traffic to the canary, then promotion', () => {
  const s = new Scenario(ns);

  before(async () => {
    await s.given((sc) => applySeed(sc.kc, ns, blueGreenCanary()));
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
  });
  after(() => s.tearDown());

  // One rollout observed step by step: each step goes on from where the last left it.
  it('rolls out a new version blue/green: iterations, the switch, the promotion', async (t) => {
    let since = 0;
    await t.test('serves the primary on the apex and the new version on podinfo-canary during the iterations', async () => {
      since = await s.whenImageChanges(newVersion);
      await s.thenIteration(1, since);
      assert.deepEqual(await s.weights(), [100, 0]);
      for (let i = 0; i < 10; i++) {
        const apex = await viaApex();
        assert.ok(isPrimaryPod(apex) && apex.version === oldVersion, `apex answered ${JSON.stringify(apex)}`);
        const canary = await viaService('podinfo-canary');
        assert.ok(!isPrimaryPod(canary) && canary.version === newVersion, `podinfo-canary answered ${JSON.stringify(canary)}`);
      }
      const c = await s.canary();
      assert.equal(c.status?.phase, 'Progressing');
      assert.ok((c.status?.iterations ?? 0) <= iterations, `still iterating: ${c.status?.iterations}`);
      assert.equal(c.status?.canaryWeight, 0);
    });

    await t.test('routes all traffic to the canary after the last iteration', async () => {
      await eventually('routes switched to the canary', 120_000, async () => ((await s.weights()).join('/') === '0/100' ? true : undefined));
      const apex = await viaApex();
      assert.ok(!isPrimaryPod(apex) && apex.version === newVersion, `apex answered ${JSON.stringify(apex)} after the switch`);
      const problem = inOrder(s.messages(), [
        `New revision detected! Scaling up podinfo.${ns}`,
        `Pre-rollout check acceptance-test passed`,
        ...Array.from({ length: iterations }, (_, k) => `Advance ${s.canaryId} canary iteration ${k + 1}/${iterations}`),
        'Routing all traffic to canary',
      ]);
      assert.equal(problem, undefined, problem);
      assert.ok((await canaryEvents(s.kc, ns, 'podinfo')).includes('Routing all traffic to canary'), 'recorded as a Kubernetes Event too');
    });

    await t.test('promotes the canary and routes everything back to the primary', async () => {
      await s.thenPhase('Succeeded', { since, timeoutMs: 180_000 });
      const problem = inOrder(s.messages(), [
        'Routing all traffic to canary',
        `Copying podinfo.${ns} template spec to podinfo-primary.${ns}`,
        'Routing all traffic to primary',
        `Promotion completed! Scaling down podinfo.${ns}`,
      ]);
      assert.equal(problem, undefined, problem);
      assert.deepEqual(await s.weights(), [100, 0]);
      assert.equal(await s.primaryImage(), `ghcr.io/stefanprodan/podinfo:${newVersion}`);
      const apex = await viaApex();
      assert.ok(isPrimaryPod(apex) && apex.version === newVersion, `apex answered ${JSON.stringify(apex)}`);
    });
  });
});
