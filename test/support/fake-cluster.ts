// An in-memory stand-in for everything Perch's activities touch in a cluster (the Canary, the
// target and primary Deployments, the router's weights, Prometheus), for workflow tests on
// Temporal's time-skipping server, where days of workflow time must pass in minutes and the real
// cluster's clock cannot follow. It implements the worker's activities with the same signatures
// (checked by the compiler against src/activities), so the real workflow runs unchanged, and it
// keeps them consistent with each other: a status written is the status loaded next, a promoted
// primary runs the target's revision, a scaled Deployment is ready at its new size.
/* eslint-disable @typescript-eslint/require-await -- activities are async by contract; the fake answers from memory */
import { type Canary, type CanaryStatus } from '../../src/api/canary';
import { canarySettings } from '../../src/api/defaults';
import { validateCanary } from '../../src/api/validation';
import { type Activities } from '../../src/activities';
import { statusPatch } from '../../src/activities/status/status-patch';
import { builtinQuery, isBuiltinMetric } from '../../src/rollout/builtin-metrics';

/** Every activity except the webhook call, which tests run for real against a loopback receiver. */
export type ClusterActivities = Omit<Activities, 'callWebhook'>;

export interface FakeDeployment {
  revision: string;
  image: string;
  replicas: number;
}

export interface RecordedEvent {
  type: 'Normal' | 'Warning';
  message: string;
}

/** A metric's value for its nth measurement (from 1), by metric name; null is "no values found". */
export type MetricScript = (metric: string, nth: number) => number | null;

/** The revision the fake gives a Deployment running `image`. */
export const fakeRevision = (image: string): string => `rev-${image.replace(/[^a-z0-9]/gi, '-')}`;

/** Values the seed's built-in checks pass with: 100% success, 50 ms P99. */
export const passingMetrics: MetricScript = (metric) => (metric === 'request-success-rate' ? 100 : 50);

export class FakeCluster {
  readonly deployments = new Map<string, FakeDeployment>();
  readonly events: RecordedEvent[] = [];
  readonly alerts: { severity: string; message: string }[] = [];
  /** Every status update the workflow asked for, in order. */
  readonly statusWrites: Partial<CanaryStatus>[] = [];
  /** Every weight change the router was asked for, in order. */
  readonly weightChanges: { primary: number; canary: number; mirror?: true }[] = [];
  weights: { primary: number; canary: number; mirror?: true } = { primary: 100, canary: 0 };
  routerReconciled = false;
  /** Deployments that are not ready, by name, with the reason a readiness check gives. */
  readonly unready = new Map<string, { message: string; deadlineExceeded?: boolean }>();
  /** The target's revision at each metric measurement, in order. */
  readonly measurements: string[] = [];
  /** Revisions the primary received, in order, with the number of measurements made before each. */
  readonly promotions: { revision: string; measured: number }[] = [];
  /** Runs inside promotePrimary between its read of the target and its write of the primary. */
  duringPromotion: () => void = () => undefined;
  private readonly measured = new Map<string, number>();

  constructor(
    public canary: Canary | undefined,
    public metrics: MetricScript = passingMetrics,
  ) {}

  get status(): CanaryStatus {
    return this.canary?.status ?? {};
  }

  /** Phases the status went through, without repeats. */
  get phases(): string[] {
    const seen: string[] = [];
    for (const w of this.statusWrites) if (w.phase !== undefined && seen.at(-1) !== w.phase) seen.push(w.phase);
    return seen;
  }

  /** A user's `kubectl set image`: a new pod template, hence a new revision, at the same scale. */
  setImage(name: string, image: string): void {
    const d = this.deployment(name);
    if (!d) throw new Error(`fake cluster has no Deployment ${name}`);
    d.image = image;
    d.revision = fakeRevision(image);
  }

  deployment(name: string): FakeDeployment | undefined {
    return this.deployments.get(name);
  }

  readonly activities: ClusterActivities = {
    loadCanary: async (input) => {
      const c = this.canaryAt(input);
      if (c === undefined) return { kind: 'missing' };
      const status = structuredClone(c.status ?? {});
      const uid = c.metadata.uid ?? '';
      const problems = validateCanary(c);
      const { generation } = c.metadata;
      if (problems.length > 0) return { kind: 'invalid', uid, generation, status, problems };
      return {
        kind: 'ok',
        uid,
        generation,
        status,
        settings: canarySettings(c),
        finalized: (c.metadata.finalizers ?? []).length > 0,
        deleting: false,
      };
    },
    setCanaryFinalizer: async (input) => {
      const c = this.canaryAt(input);
      if (c) c.metadata.finalizers = input.present ? ['finalizer.flagger.app'] : [];
    },
    inspectTarget: async (input) => {
      const d = this.deployments.get(input.name);
      if (!d) return { exists: false, revision: '', replicas: 0, trackedConfigs: {}, image: '' };
      return { exists: true, revision: d.revision, replicas: d.replicas, selectorLabel: 'app', trackedConfigs: {}, image: d.image };
    },
    initializePrimary: async ({ settings }) => {
      const target = this.require(settings.targetRef.name);
      const primary = `${settings.targetRef.name}-primary`;
      if (!this.deployments.has(primary)) this.deployments.set(primary, { ...target, replicas: target.replicas > 0 ? target.replicas : 1 });
    },
    promotePrimary: async ({ settings, revision }) => {
      // As the real activity: one read of the target serves the comparison and the copy.
      const read = { ...this.require(settings.targetRef.name) };
      const primary = this.require(`${settings.targetRef.name}-primary`);
      this.duringPromotion();
      if (revision !== undefined && read.revision !== revision) return { promoted: false, found: { revision: read.revision, trackedConfigs: {} } };
      primary.revision = read.revision;
      primary.image = read.image;
      this.promotions.push({ revision: read.revision, measured: this.measurements.length });
      return { promoted: true };
    },
    scaleDeployment: async (input) => {
      const d = this.deployments.get(input.name);
      if (!d) {
        if (input.replicas === 0) return;
        throw new Error(`Deployment ${input.name}.${input.namespace} not found: cannot scale it to ${input.replicas}`);
      }
      d.replicas = input.replicas;
    },
    canaryReplicas: async ({ settings }) => {
      const own = this.require(settings.targetRef.name).replicas;
      if (own > 0) return own;
      const primary = this.deployments.get(`${settings.targetRef.name}-primary`)?.replicas ?? 0;
      return primary > 0 ? primary : 1;
    },
    // Pods in the fake are ready the moment they are asked for.
    deploymentReadiness: async (input) => this.readiness(input.namespace, input.name),
    rolloutReadiness: async ({ settings }) => ({
      canary: this.readiness(settings.namespace, settings.targetRef.name),
      primary: this.readiness(settings.namespace, `${settings.targetRef.name}-primary`),
    }),
    waitForReady: async (input) => this.readiness(input.namespace, input.name),
    // The fake has no Services: nothing to point back at the target.
    revertApexService: async () => undefined,
    reconcileRouter: async () => {
      this.routerReconciled = true;
    },
    setWeights: async ({ primary, canary, mirror }) => {
      if (this.weights.primary === primary && this.weights.canary === canary && this.weights.mirror === (mirror || undefined)) return;
      this.weights = { primary, canary, ...(mirror && { mirror }) };
      this.weightChanges.push({ ...this.weights });
    },
    getWeights: async () => ({ primary: this.weights.primary, canary: this.weights.canary }),
    /** The fake's metrics are always there. */
    checkMetricProviders: async () => undefined,
    measureMetric: async ({ settings, metric }) => {
      if (!isBuiltinMetric(metric.name)) return { source: 'inline', error: `the fake cluster measures only built-in metrics, not ${metric.name}` };
      this.measurements.push(this.require(settings.targetRef.name).revision);
      const nth = (this.measured.get(metric.name) ?? 0) + 1;
      this.measured.set(metric.name, nth);
      const query = builtinQuery(metric.name, { namespace: settings.namespace, service: settings.service.apexName, interval: metric.interval });
      return { source: 'builtin', query, value: this.metrics(metric.name, nth) };
    },
    writeCanaryStatus: async (input) => this.writeStatus(input),
    recordEvent: async (input) => {
      this.events.push({ type: input.type, message: input.message });
    },
    writeEvents: async (input) => {
      for (const e of input.events) this.events.push({ type: e.type, message: e.message });
    },
    // The fake has no event webhooks to call.
    notifyEventHooks: async () => undefined,
    // The seed's Canary names no alert provider, so an alert reaches nobody; it is kept for tests.
    sendAlert: async (input) => {
      this.alerts.push({ severity: input.severity, message: input.message });
      return [];
    },
  };

  /** The real writer's own merge rules (phase times, the Promoted condition), applied in memory. */
  private writeStatus(input: Parameters<Activities['writeCanaryStatus']>[0]): void {
    const c = this.canaryAt(input);
    if (!c) return;
    this.statusWrites.push(structuredClone(input.status));
    const patch = statusPatch(c.status ?? {}, input.status, c.spec.targetRef.kind, new Date().toISOString(), input.why);
    if (patch === undefined) return;
    const next: Record<string, unknown> = { ...c.status, ...structuredClone(patch) };
    // A merge patch deletes the keys it sets to null.
    const tracked = patch.trackedConfigs as Record<string, string | null> | undefined;
    if (tracked !== undefined) next.trackedConfigs = Object.fromEntries(Object.entries(tracked).filter(([, v]) => v !== null));
    c.status = next;
  }

  private canaryAt(ref: { namespace: string; name: string }): Canary | undefined {
    const c = this.canary;
    return c && c.metadata.namespace === ref.namespace && c.metadata.name === ref.name ? c : undefined;
  }

  private require(name: string): FakeDeployment {
    const d = this.deployments.get(name);
    if (!d) throw new Error(`deployment ${name} get query error: not found`);
    return d;
  }

  private readiness(namespace: string, name: string): Awaited<ReturnType<Activities['deploymentReadiness']>> {
    const d = this.deployments.get(name);
    if (!d)
      return {
        ready: false,
        message: `deployment ${name}.${namespace} get query error: not found`,
        deadlineExceeded: false,
        available: 0,
        desired: 0,
      };
    const unready = this.unready.get(name);
    if (unready !== undefined) {
      return { ready: false, message: unready.message, deadlineExceeded: unready.deadlineExceeded === true, available: 0, desired: d.replicas };
    }
    return { ready: true, message: '', deadlineExceeded: false, available: d.replicas, desired: d.replicas };
  }
}
