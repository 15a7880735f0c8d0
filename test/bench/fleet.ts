// N Canaries for each controller: podinfo-shaped Deployments of one replica on kwok nodes, Canaries
// without metrics or webhooks (so the figures are the controllers' own overhead). All applied at
// once; idle; then every tenth rolled at once to a new image.
import * as k8s from '@kubernetes/client-node';
import { applyAll, deleteNamespace, freshNamespace, pool, setImage } from './cluster';
import { type Bench, footprint, type Footprint, lateness, PROMOTED, rolloutTimes, sampler, seconds } from './context';
import { type Controller, FlaggerController, PerchController } from './controllers';
import { type HistoryCost, type RolloutCost, rolloutCost, signalBefore } from './histories';
import { type MachineLoad, whileSampling } from './proc';
import { Recorder } from './recorder';
import { median, type Spread, spread } from './stats';
import { deployment } from '../support/workloads';

/** The analysis every Canary of a fleet runs, and how long the fleet is watched idle. */
export interface FleetShape {
  intervalS: number;
  idleS: number;
  /** Steps of 5 % up to this weight. */
  maxWeight: number;
}

/** The bench's fleet: the seed's analysis (10 s, 10 steps of 5 %), 30 s idle. */
export const BENCH_FLEET: FleetShape = { intervalS: 10, idleS: 30, maxWeight: 50 };
const PODS_PER_NODE = 500;
const IMAGE = 'ghcr.io/stefanprodan/podinfo';

export interface FleetSide {
  /** Canaries applied → the last one Initialized, s; undefined when not all were within the bound. */
  initializedS?: number;
  initialized: number;
  /** CPU (s) from the first Canary applied to the last Initialized, RSS (MiB) then, by role. */
  atInitialized: Footprint;
  /** CPU (s) over the idle window, peak RSS (MiB) in it. */
  idle: Footprint;
  rolling: {
    promoted: number;
    /** Image set → "New revision detected", s. */
    detectS: Spread;
    /** Each step against its ideal tick (first step + k × interval), s. */
    latenessS: Spread;
    /** Image set → "Promotion completed", s. */
    doneS: Spread;
    /** CPU (s) and peak RSS (MiB) while the 10% rolled. */
    footprint: Footprint;
    /** Steps more than LATE_S late, and how many of them waited through a saturated stretch of the machine; absent in older runs. */
    late?: { steps: number; inSaturation: number };
    /** Detections slower than LATE_S, and how many of them overlapped a saturated stretch; absent in older runs. */
    slowDetections?: { detections: number; inSaturation: number };
    /**
     * Perch only, detection in parts: image set → the signal the Event answered, in the workflow's
     * history (the watcher; below 0 when the watcher signalled before the image write's answer
     * reached the bench), the signal → its workflow task started on the worker (Temporal's
     * dispatch), and the signal → the Event (the dispatch and the workflow's look); absent in older
     * runs. Runs before 2026-12-07 took the first signal after the write's answer instead, a later
     * one (a resync's) when the watcher had been quicker than the answer.
     */
    detection?: { signalS: Spread; dispatchS?: Spread; eventS: Spread };
  };
  /** Perch only: medians over the rolled Canaries. */
  history?: { perRollout: HistoryCost; perStep: HistoryCost };
}

export interface FleetResult {
  n: number;
  rolled: number;
  nodes: number;
  intervalS: number;
  idleS: number;
  perch: FleetSide;
  flagger: FleetSide;
  temporal: { atInitialized: Footprint[string]; idle: Footprint[string]; rolling: Footprint[string] };
  /** The local cluster's own processes (API server, etcd, controller manager, scheduler, kwok, Contour), shared by both; absent in older runs. */
  cluster?: { atInitialized: Footprint[string]; idle: Footprint[string]; rolling: Footprint[string] };
  /** The whole machine while both fleets rolled (/proc/stat every 250 ms); absent in older runs. */
  rolling?: { machine: MachineLoad };
}

const name = (i: number) => `app-${String(i).padStart(4, '0')}`;

function canary(namespace: string, target: string, shape: FleetShape): k8s.KubernetesObject {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: target, namespace },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      service: { port: 80, targetPort: 9898 },
      analysis: { interval: `${shape.intervalS}s`, threshold: 5, maxWeight: shape.maxWeight, stepWeight: 5 },
    },
  } as k8s.KubernetesObject;
}

/** Fake nodes for kwok (which plays every node's kubelet), enough for both fleets' pods. */
async function addNodes(kc: k8s.KubeConfig, count: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `bench-kwok-${i}`);
  const capacity = { cpu: '1000', memory: '4Ti', pods: String(PODS_PER_NODE) };
  await applyAll(
    kc,
    names.map(
      (n) =>
        ({
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: n, annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels: { type: 'kwok', 'kubernetes.io/hostname': n } },
          status: { allocatable: capacity, capacity },
        }) as k8s.KubernetesObject,
    ),
  );
  return names;
}

/** Polls `done` every second until it holds or `ms` pass; answers whether it held. */
async function within(ms: number, done: () => boolean | Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return true;
}

export async function fleetScenario(b: Bench, n: number, shape: FleetShape = BENCH_FLEET): Promise<FleetResult> {
  const rolled = Array.from({ length: n }, (_, i) => i)
    .filter((i) => i % 10 === 0)
    .map(name);
  const nodeCount = Math.ceil((4 * n + rolled.length * 2 + 50) / PODS_PER_NODE);
  const perch = new PerchController(`bench-fleet-${n}-perch`, b.tools);
  const flagger = new FlaggerController(`bench-fleet-${n}-flagger`, b.tools);
  const controllers: Controller[] = [perch, flagger];
  const recorders = new Map<Controller, Recorder>();
  const rec = (c: Controller) => recorders.get(c) as Recorder;
  const both = <T>(fn: (c: Controller) => Promise<T>) => Promise.all(controllers.map(fn));
  const apps = b.kc.makeApiClient(k8s.AppsV1Api);
  const sample = sampler(controllers);
  let nodes: string[] = [];
  try {
    b.say(`fleet ${n}: ${nodeCount} kwok node(s), ${n} Deployments per controller`);
    nodes = await addNodes(b.kc, nodeCount);
    for (const c of controllers) {
      await freshNamespace(b.kc, c.namespace);
      const r = new Recorder(b.kc, c.namespace, c.eventLogs());
      await r.start();
      recorders.set(c, r);
    }
    const targets = Array.from({ length: n }, (_, i) => name(i));
    await both((c) =>
      applyAll(
        b.kc,
        targets.map((t) => deployment(c.namespace, t, `${IMAGE}:6.0.0`, 1)),
        8,
      ),
    );
    const available = async (c: Controller) =>
      (await apps.listNamespacedDeployment({ namespace: c.namespace })).items.filter((d) => d.status?.availableReplicas === 1).length === n;
    if (!(await within(120_000 + n * 500, async () => (await Promise.all(controllers.map(available))).every(Boolean)))) {
      throw new Error(`fleet ${n}: the Deployments did not become available`);
    }
    b.say(`fleet ${n}: Deployments available; starting the controllers`);
    await both((c) => c.start());

    const before = sample.now();
    const appliedAt = Date.now();
    await both((c) =>
      applyAll(
        b.kc,
        targets.map((t) => canary(c.namespace, t, shape)),
        8,
      ),
    );
    b.say(`fleet ${n}: ${n} Canaries each applied in ${seconds(Date.now() - appliedAt)} s; waiting for Initialized`);
    const initializedCount = (c: Controller) => targets.filter((t) => rec(c).reached(t, 'Initialized') !== undefined).length;
    const initAt = new Map<Controller, number>();
    await within(180_000 + n * 1500, () => {
      for (const c of controllers) if (!initAt.has(c) && initializedCount(c) === n) initAt.set(c, Date.now());
      return initAt.size === controllers.length;
    });
    const atInit = sample.now();
    const initialized = (c: Controller): Pick<FleetSide, 'initializedS' | 'initialized'> => {
      const times = targets.map((t) => rec(c).reached(t, 'Initialized')).filter((t): t is number => t !== undefined);
      return { initialized: times.length, initializedS: times.length === n ? seconds(Math.max(...times) - appliedAt) : undefined };
    };
    b.say(`fleet ${n}: Initialized: Perch ${initializedCount(perch)}/${n}, Flagger ${initializedCount(flagger)}/${n}; idle ${shape.idleS} s`);

    sample.start();
    await new Promise((r) => setTimeout(r, shape.idleS * 1000)); // a measurement window, not a wait for an outcome
    sample.stop();
    const afterIdle = sample.now();
    const idlePeak = (f: Footprint) =>
      Object.fromEntries(Object.entries(f).map(([role, u]) => [role, { ...u, rssMiB: Math.round(sample.peakRss(role)) }]));
    const idle = idlePeak(footprint(afterIdle, atInit));

    b.say(`fleet ${n}: rolling ${rolled.length} per controller`);
    sample.start();
    const setAt = new Map<string, number>();
    const jobs = controllers.flatMap((c) => rolled.map((t) => ({ c, t })));
    const promotedCount = (c: Controller) => rolled.filter((t) => rec(c).first(t, PROMOTED, setAt.get(`${c.kind}/${t}`)) !== undefined).length;
    const [, machine] = await whileSampling(async () => {
      await pool(jobs, 32, async ({ c, t }) => {
        setAt.set(`${c.kind}/${t}`, await setImage(b.kc, c.namespace, t, `${IMAGE}:6.0.1`));
      });
      await within(600_000 + n * 300, () => controllers.every((c) => promotedCount(c) === rolled.length));
    });
    sample.stop();
    const rolling = idlePeak(footprint(sample.now(), afterIdle));
    b.say(`fleet ${n}: promoted: Perch ${promotedCount(perch)}/${rolled.length}, Flagger ${promotedCount(flagger)}/${rolled.length}`);

    const side = async (c: Controller): Promise<FleetSide> => {
      const roles = Object.keys(c.processes());
      const only = (f: Footprint) => Object.fromEntries(roles.map((r) => [r, f[r] ?? { rssMiB: 0, cpuSeconds: 0 }]));
      const times = rolled.map((t) => {
        const at = setAt.get(`${c.kind}/${t}`) ?? 0;
        return { t, setAt: at, ...rolloutTimes(rec(c), t, at, PROMOTED) };
      });
      const out: FleetSide = {
        ...initialized(c),
        atInitialized: only(footprint(atInit, before)),
        idle: only(idle),
        rolling: {
          promoted: promotedCount(c),
          detectS: spread(times.flatMap((x) => (x.detectS === undefined ? [] : [x.detectS]))),
          latenessS: spread(times.flatMap((x) => lateness(x.advances, shape.intervalS))),
          doneS: spread(times.flatMap((x) => (x.doneS === undefined ? [] : [x.doneS]))),
          footprint: only(rolling),
          late: lateSteps(times, shape.intervalS, machine.saturatedSpans ?? []),
          slowDetections: slowDetections(times, machine.saturatedSpans ?? []),
          ...(c === perch ? { detection: await detectionParts(b, c.namespace, times) } : {}),
        },
      };
      const history = c === perch ? await fleetHistory(b, c.namespace, times) : undefined;
      if (history) out.history = history;
      return out;
    };
    const t = (f: Footprint, role = 'temporal') => f[role] ?? { rssMiB: 0, cpuSeconds: 0 };
    return {
      n,
      rolled: rolled.length,
      nodes: nodeCount,
      intervalS: shape.intervalS,
      idleS: shape.idleS,
      perch: await side(perch),
      flagger: await side(flagger),
      temporal: { atInitialized: t(footprint(atInit, before)), idle: t(idle), rolling: t(rolling) },
      cluster: { atInitialized: t(footprint(atInit, before), 'cluster'), idle: t(idle, 'cluster'), rolling: t(rolling, 'cluster') },
      rolling: { machine },
    };
  } finally {
    sample.stop();
    await both((c) => c.stop());
    for (const r of recorders.values()) await r.stop();
    b.say(`fleet ${n}: deleting the namespaces and nodes`);
    await both((c) => deleteNamespace(b.kc, c.namespace));
    const core = b.kc.makeApiClient(k8s.CoreV1Api);
    for (const node of nodes) await core.deleteNode({ name: node }).catch(() => undefined);
  }
}

/** A step later than this against its ideal tick counts as late, s: the target's bound. */
const LATE_S = 1;

type Span = readonly [from: number, to: number];

/** How many of `waits` overlapped one of the saturated stretches `spans` (both in ms). */
function overlapping(waits: readonly Span[], spans: readonly Span[]): number {
  return waits.filter(([start, end]) => spans.some(([from, to]) => from <= end && to >= start)).length;
}

/** The steps more than LATE_S late, and of them those whose wait overlapped a saturated stretch. */
function lateSteps(rollouts: readonly { advances: number[] }[], intervalS: number, spans: readonly Span[]): { steps: number; inSaturation: number } {
  const waits = rollouts.flatMap(({ advances }) =>
    lateness(advances, intervalS).flatMap((late, i): Span[] => {
      const at = advances[i + 1] ?? 0;
      return late > LATE_S ? [[at - late * 1000, at]] : [];
    }),
  );
  return { steps: waits.length, inSaturation: overlapping(waits, spans) };
}

/** The detections slower than LATE_S, and of them those that overlapped a saturated stretch. */
function slowDetections(
  rollouts: readonly { setAt: number; detectS?: number }[],
  spans: readonly Span[],
): { detections: number; inSaturation: number } {
  const waits = rollouts.flatMap(({ setAt, detectS }): Span[] =>
    detectS !== undefined && detectS > LATE_S ? [[setAt, setAt + detectS * 1000]] : [],
  );
  return { detections: waits.length, inSaturation: overlapping(waits, spans) };
}

/** Where each detection's time went: up to the workflow's signal (the watcher), then to its task started (Temporal's dispatch) and to the Event. */
async function detectionParts(
  b: Bench,
  namespace: string,
  rollouts: readonly { t: string; setAt: number; detectS?: number }[],
): Promise<NonNullable<FleetSide['rolling']['detection']>> {
  const signalS: number[] = [];
  const dispatchS: number[] = [];
  const eventS: number[] = [];
  for (const r of rollouts) {
    if (r.detectS === undefined) continue;
    const signal = await signalBefore(b.temporal, namespace, r.t, r.setAt, r.setAt + r.detectS * 1000);
    if (signal === undefined) continue;
    signalS.push(seconds(signal.signaledAt - r.setAt));
    if (signal.taskStartedAt !== undefined) dispatchS.push(seconds(signal.taskStartedAt - signal.signaledAt));
    eventS.push(seconds(r.setAt + r.detectS * 1000 - signal.signaledAt));
  }
  return { signalS: spread(signalS), dispatchS: spread(dispatchS), eventS: spread(eventS) };
}

/** The median rollout's and the median step's cost, over the promoted Canaries; undefined when none was. */
async function fleetHistory(
  b: Bench,
  namespace: string,
  rollouts: { t: string; setAt: number; doneAt?: number; advances: number[] }[],
): Promise<FleetSide['history']> {
  const costs: RolloutCost[] = [];
  for (const r of rollouts) if (r.doneAt) costs.push(await rolloutCost(b.temporal, namespace, r.t, r.setAt, r.doneAt, r.advances));
  if (costs.length === 0) return undefined; // no rollout finished: no cost to show
  const med = (pick: (c: RolloutCost) => HistoryCost) => {
    const keys = ['events', 'workflowTasks', 'activities', 'timers', 'actions'] as const;
    return Object.fromEntries(keys.map((k) => [k, median(costs.map((c) => pick(c)[k])) ?? 0])) as unknown as HistoryCost;
  };
  return { perRollout: med((c) => c.rollout), perStep: med((c) => c.perStep) };
}
