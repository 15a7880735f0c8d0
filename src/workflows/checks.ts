// Running the checks decide() asks for: webhooks of one type in spec order (stopping at the first
// failure, as Flagger does) and every metric of the analysis.
import { type CanarySettings, type WebhookSettings } from '../api/canary-settings';
import { type CanaryPhase } from '../api/canary';
import { type Gate, type HookResult, type IntervalInput, type Need } from '../rollout/analysis';
import { approvedBySignal, info } from '../rollout/messages';
import { evaluateMetric, type MetricVerdict } from '../rollout/verdict';
import { hooks, quick, summarized } from './activities';
import { type CanaryRecord } from './record';

type HookType = WebhookSettings['type'];

export class Checks {
  /** Rollout hooks called when the interval began, so their load runs while it is measured. */
  private rolloutHooks: HookResult[] | undefined;
  /** The hook that last refused each gate, for its muteAlert. */
  private readonly refusedBy = new Map<Gate, WebhookSettings>();

  constructor(
    private readonly record: CanaryRecord,
    private readonly checksum: () => string,
    /** Takes a pending approve signal, which opens a gate its hooks keep closed. */
    private readonly approval: () => boolean = () => false,
  ) {}

  private get settings(): CanarySettings {
    return this.record.settings;
  }

  async run(need: Need, phase: CanaryPhase): Promise<Partial<IntervalInput>> {
    switch (need) {
      case 'readiness':
        return { readiness: await summarized(quick().rolloutReadiness, 'Readiness of canary and primary', { settings: this.settings }) };
      case 'rollback-hooks':
        return { rollbackHooks: await this.hooks('rollback', phase, false) };
      case 'pre-rollout':
        return { preRollout: await this.hooks('pre-rollout', phase) };
      case 'confirm-traffic-increase':
        return { trafficIncrease: await this.gate('confirm-traffic-increase', phase) };
      case 'confirm-promotion':
        return { promotion: await this.gate('confirm-promotion', phase) };
      case 'analysis': {
        const hookResults = this.rolloutHooks ?? (await this.hooks('rollout', phase));
        this.rolloutHooks = undefined;
        return { analysis: { hooks: hookResults, metrics: await this.metrics() } };
      }
    }
  }

  /**
   * Flagger calls rollout hooks (typically the load test) at the end of an interval, right before
   * querying, so the first measurement of a step sees no canary traffic. Perch calls them when the
   * interval begins and judges their result with that interval's metrics.
   */
  async beginInterval(phase: CanaryPhase): Promise<void> {
    this.rolloutHooks = await this.hooks('rollout', phase);
  }

  /**
   * A confirm-* gate's hooks. When one refuses and an approve signal is pending, the signal opens
   * the gate: the refusal is recorded, and the gate answers as if no hook had refused.
   */
  async gate(type: Gate, phase: CanaryPhase): Promise<HookResult[]> {
    const results = await this.hooks(type, phase);
    const refusal = results.find((r) => !r.ok);
    if (refusal === undefined) return results;
    const hook = this.settings.analysis.webhooks.find((h) => h.type === type && h.name === refusal.name);
    if (hook !== undefined) this.refusedBy.set(type, hook);
    if (!this.approval()) return results;
    await this.record.event(info(approvedBySignal(type)));
    return results.filter((r) => r.ok);
  }

  /** True when the hook that refused `gate` asked not to alert (muteAlert). */
  refusalMuted(gate: Gate): boolean {
    return this.refusedBy.get(gate)?.muteAlert === true;
  }

  /** Calls the hooks of one type in order; with stopAtFailure, up to and including the first failure. */
  async hooks(type: HookType, phase: CanaryPhase, stopAtFailure = true): Promise<HookResult[]> {
    const results: HookResult[] = [];
    for (const hook of this.settings.analysis.webhooks.filter((h) => h.type === type)) {
      const { name, namespace } = this.record.ref;
      const payload = { name, namespace, phase, checksum: this.checksum(), metadata: hook.metadata };
      const r = await summarized(hooks.callWebhook, `Webhook ${hook.name} (${type})`, { hook, payload });
      this.record.recordHook(hook.name, r.ok, r.message);
      results.push({ name: hook.name, url: hook.url, status: r.status || undefined, error: r.ok ? undefined : r.message, ok: r.ok });
      if (stopAtFailure && !r.ok) break;
    }
    return results;
  }

  private async metrics(): Promise<MetricVerdict[]> {
    const verdicts: MetricVerdict[] = [];
    for (const metric of this.settings.analysis.metrics) {
      const m = await summarized(quick().measureMetric, `Metric ${metric.name}`, { settings: this.settings, metric });
      const verdict = evaluateMetric(
        { name: metric.name, source: m.source, thresholdRange: metric.thresholdRange, query: m.query, noData: metric.noData },
        'error' in m ? { error: m.error } : { value: m.value },
        { canary: this.record.ref, provider: this.settings.provider ?? 'contour' },
      );
      this.record.recordMetric(verdict, m.query);
      verdicts.push(verdict);
    }
    return verdicts;
  }
}
