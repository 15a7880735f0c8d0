// Running the checks decide() asks for: webhooks of one type in spec order (stopping at the first
// failure, as Flagger does) and every metric of the analysis.
import { type CanarySettings, type WebhookSettings } from '../api/canary-settings';
import { type CanaryPhase } from '../api/canary';
import { type HookResult, type IntervalInput, type Need } from '../rollout/analysis';
import { type CanaryRef } from '../rollout/names';
import { evaluateMetric, type MetricVerdict } from '../rollout/verdict';
import { act, hooks } from './activities';
import { type Reporter } from './reporter';

type HookType = WebhookSettings['type'];

export class Checks {
  /** Rollout hooks called when the interval began, so their load runs while it is measured. */
  private rolloutHooks: HookResult[] | undefined;

  constructor(
    private readonly settings: CanarySettings,
    private readonly ref: CanaryRef,
    private readonly reporter: Reporter,
    private readonly checksum: () => string,
  ) {}

  async run(need: Need, phase: CanaryPhase): Promise<Partial<IntervalInput>> {
    switch (need) {
      case 'rollback-hooks': return { rollbackHooks: await this.hooks('rollback', phase, false) };
      case 'pre-rollout': return { preRollout: await this.hooks('pre-rollout', phase) };
      case 'confirm-traffic-increase': return { trafficIncrease: await this.hooks('confirm-traffic-increase', phase) };
      case 'confirm-promotion': return { promotion: await this.hooks('confirm-promotion', phase) };
      case 'analysis': {
        const hookResults = this.rolloutHooks ?? await this.hooks('rollout', phase);
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

  /** Calls the hooks of one type in order; with stopAtFailure, up to and including the first failure. */
  async hooks(type: HookType, phase: CanaryPhase, stopAtFailure = true): Promise<HookResult[]> {
    const results: HookResult[] = [];
    for (const hook of this.settings.analysis.webhooks.filter((h) => h.type === type)) {
      const payload = { name: this.ref.name, namespace: this.ref.namespace, phase, checksum: this.checksum(), metadata: hook.metadata };
      const r = await hooks.callWebhook({ hook, payload });
      this.reporter.recordHook(hook.name, r.ok, r.message);
      results.push({ name: hook.name, url: hook.url, status: r.status || undefined, error: r.ok ? undefined : r.message, ok: r.ok });
      if (stopAtFailure && !r.ok) break;
    }
    return results;
  }

  private async metrics(): Promise<MetricVerdict[]> {
    const verdicts: MetricVerdict[] = [];
    for (const metric of this.settings.analysis.metrics) {
      const m = await act.measureMetric({ settings: this.settings, metric });
      const verdict = evaluateMetric(
        { name: metric.name, source: m.source, thresholdRange: metric.thresholdRange, query: m.query },
        'error' in m ? { error: m.error } : { value: m.value },
        { canary: this.ref, provider: this.settings.provider ?? 'contour' },
      );
      this.reporter.recordMetric(verdict, m.query);
      verdicts.push(verdict);
    }
    return verdicts;
  }
}
