// Flagger's own Prometheus series (pkg/metrics/recorder.go), under the same names and labels, so
// Flagger's dashboards and alerts read Perch unchanged. `name` is the Canary's targetRef.name, as in
// Flagger. Fed by the status and metric activities; the Canary count is refreshed per scrape.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type CanaryStatus } from '../api/canary';
import { log } from '../log';
import { type StatusObservation } from './observation';
import { statusValue } from './status-value';

/** A Canary as the metrics see it: where it is and which workload it rolls out (Flagger's `name` label). */
export interface CanaryTarget {
  namespace: string;
  target: string;
}

/** Every Canary in scope, for flagger_canary_total and for dropping the series of deleted ones. */
export type CanaryInventory = () => Promise<CanaryTarget[]>;

export interface CanaryMetricsOptions {
  registry?: Registry;
  list?: CanaryInventory;
  /** The namespace the lister covers; empty for all. Series outside it are never dropped. */
  scope?: string;
  /** A scrape waits this long for the Canary list, then serves the last counts. */
  listTimeoutMs?: number;
}

const STRATEGIES = ['canary', 'ab-testing', 'blue-green'] as const;
const ANALYSIS_STATUSES = ['completed', 'skipped'] as const;
/** Activity attempts already counted; enough for every retry in flight on one worker. */
const MAX_REMEMBERED_KEYS = 1000;

/** What was recorded for one target, so its series can be removed when its Canary is gone. */
interface Recorded {
  namespace: string;
  target: string;
  metrics: Set<string>;
}

export class CanaryMetrics {
  readonly registry: Registry;
  private readonly info: Gauge<'version' | 'mesh_provider'>;
  private readonly total: Gauge<'namespace'>;
  private readonly status: Gauge<'name' | 'namespace'>;
  private readonly weight: Gauge<'workload' | 'namespace'>;
  private readonly duration: Histogram<'name' | 'namespace'>;
  private readonly analysis: Gauge<'name' | 'namespace' | 'metric'>;
  private readonly successes: Counter<'name' | 'namespace' | 'deployment_strategy' | 'analysis_status'>;
  private readonly failures: Counter<'name' | 'namespace' | 'deployment_strategy' | 'analysis_status'>;
  private readonly recorded = new Map<string, Recorded>();
  private readonly counted = new Set<string>();
  private refreshing: Promise<void> | undefined;
  private listFailing = false;

  constructor(private readonly options: CanaryMetricsOptions = {}) {
    this.registry = options.registry ?? new Registry();
    const registers = [this.registry];
    this.info = new Gauge({
      name: 'flagger_info',
      help: 'Flagger version and mesh provider information',
      labelNames: ['version', 'mesh_provider'],
      registers,
    });
    this.duration = new Histogram({
      // prom-client's default buckets are Go's prometheus.DefBuckets, which Flagger uses.
      name: 'flagger_canary_duration_seconds',
      help: 'Seconds spent performing canary analysis.',
      labelNames: ['name', 'namespace'],
      registers,
    });
    this.total = new Gauge({ name: 'flagger_canary_total', help: 'Total number of canary object', labelNames: ['namespace'], registers });
    this.status = new Gauge({ name: 'flagger_canary_status', help: 'Last canary analysis result', labelNames: ['name', 'namespace'], registers });
    this.weight = new Gauge({
      name: 'flagger_canary_weight',
      help: 'The virtual service destination weight current value',
      labelNames: ['workload', 'namespace'],
      registers,
    });
    this.analysis = new Gauge({
      name: 'flagger_canary_metric_analysis',
      help: 'Last canary analysis result per metric',
      labelNames: ['name', 'namespace', 'metric'],
      registers,
    });
    const outcome = ['name', 'namespace', 'deployment_strategy', 'analysis_status'] as const;
    this.successes = new Counter({
      name: 'flagger_canary_successes_total',
      help: 'Total number of canary successes',
      labelNames: outcome,
      registers,
    });
    this.failures = new Counter({ name: 'flagger_canary_failures_total', help: 'Total number of canary failures', labelNames: outcome, registers });
  }

  setInfo(version: string, meshProvider: string): void {
    this.info.reset();
    this.info.set({ version, mesh_provider: meshProvider }, 1);
  }

  /**
   * Records what a status write says: the phase as 0/1/2, the weights (primary = 100 − canary), the
   * interval's analysis time and, on the write that ends a rollout, its outcome. `attempt` names the
   * activity call (run and activity ID): a retried write observes durations and outcomes only once.
   */
  observeStatus(namespace: string, status: Partial<CanaryStatus>, observe: StatusObservation, attempt?: string): void {
    const name = observe.target;
    this.remember(namespace, name);
    if (status.phase !== undefined) this.status.set({ name, namespace }, statusValue(status.phase));
    if (status.canaryWeight !== undefined) {
      this.weight.set({ workload: `${name}-primary`, namespace }, 100 - status.canaryWeight);
      this.weight.set({ workload: name, namespace }, status.canaryWeight);
    }
    this.zeroOutcomes(name, namespace, observe.strategy);
    if (attempt !== undefined && !this.firstTime(attempt)) return;
    if (observe.analysisSeconds !== undefined && Number.isFinite(observe.analysisSeconds)) {
      this.duration.observe({ name, namespace }, Math.max(0, observe.analysisSeconds));
    }
    if (observe.analysis === undefined) return;
    const labels = { name, namespace, deployment_strategy: observe.strategy, analysis_status: observe.analysis };
    if (status.phase === 'Succeeded') this.successes.inc(labels);
    else if (status.phase === 'Failed') this.failures.inc(labels);
  }

  /** The last value of one analysis metric (Flagger labels it with the metric's name). */
  observeMetric(namespace: string, target: string, metric: string, value: number): void {
    this.remember(namespace, target).metrics.add(metric);
    this.analysis.set({ name: target, namespace, metric }, value);
  }

  /**
   * Counts Canaries per namespace and drops the series of targets whose Canary is gone (Flagger
   * keeps them forever, fluxcd/flagger#1961). A failed or slow list keeps the last counts and series.
   */
  refresh(): Promise<void> {
    this.refreshing ??= this.listAndApply().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** The Prometheus text exposition, after refreshing the Canary count. */
  async exposition(): Promise<string> {
    await this.refresh();
    return this.registry.metrics();
  }

  private async listAndApply(): Promise<void> {
    const list = this.options.list;
    if (!list) return;
    let canaries: CanaryTarget[];
    try {
      canaries = await withTimeout(list(), this.options.listTimeoutMs ?? 5000);
    } catch (err) {
      if (!this.listFailing) log('warn', 'listing Canaries for flagger_canary_total failed; serving the last counts', { error: errorText(err) });
      this.listFailing = true;
      return;
    }
    if (this.listFailing) log('info', 'listing Canaries for flagger_canary_total works again');
    this.listFailing = false;
    const perNamespace = new Map<string, number>();
    const present = new Set<string>();
    for (const c of canaries) {
      perNamespace.set(c.namespace, (perNamespace.get(c.namespace) ?? 0) + 1);
      present.add(key(c.namespace, c.target));
    }
    this.total.reset();
    for (const [namespace, count] of perNamespace) this.total.set({ namespace }, count);
    const scope = this.options.scope ?? '';
    for (const [k, r] of this.recorded) {
      if (present.has(k) || (scope !== '' && r.namespace !== scope)) continue;
      this.forget(r);
      this.recorded.delete(k);
    }
  }

  private forget({ namespace, target: name, metrics }: Recorded): void {
    this.status.remove({ name, namespace });
    this.weight.remove({ workload: `${name}-primary`, namespace });
    this.weight.remove({ workload: name, namespace });
    this.duration.remove({ name, namespace });
    for (const metric of metrics) this.analysis.remove({ name, namespace, metric });
    for (const deployment_strategy of STRATEGIES) {
      for (const analysis_status of ANALYSIS_STATUSES) {
        this.successes.remove({ name, namespace, deployment_strategy, analysis_status });
        this.failures.remove({ name, namespace, deployment_strategy, analysis_status });
      }
    }
  }

  /**
   * Outcome counters exist at 0 from the Canary's first status on: a counter born at 1 is invisible
   * to rate() and increase(), so a dashboard would miss each Canary's first rollout (Flagger's do).
   */
  private zeroOutcomes(name: string, namespace: string, deployment_strategy: StatusObservation['strategy']): void {
    for (const analysis_status of ANALYSIS_STATUSES) {
      this.successes.inc({ name, namespace, deployment_strategy, analysis_status }, 0);
      this.failures.inc({ name, namespace, deployment_strategy, analysis_status }, 0);
    }
  }

  private remember(namespace: string, target: string): Recorded {
    const k = key(namespace, target);
    let r = this.recorded.get(k);
    if (!r) this.recorded.set(k, (r = { namespace, target, metrics: new Set() }));
    return r;
  }

  /** True the first time an activity attempt key is seen; the oldest keys are forgotten first. */
  private firstTime(attempt: string): boolean {
    if (this.counted.has(attempt)) return false;
    this.counted.add(attempt);
    if (this.counted.size > MAX_REMEMBERED_KEYS) {
      const oldest = this.counted.values().next();
      if (!oldest.done) this.counted.delete(oldest.value);
    }
    return true;
  }
}

const key = (namespace: string, target: string): string => `${namespace}/${target}`;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
