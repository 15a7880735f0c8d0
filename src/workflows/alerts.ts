// Sends the rollout's alerts to the Canary's AlertProviders. The activity reads providers and
// their secrets itself, so webhook addresses never enter the workflow's history.
import { patched } from '@temporalio/workflow';
import { type RolloutAlert } from '../rollout/messages';
import { act, summarized } from './activities';
import { ALERTS } from './patches';
import { type CanaryRecord } from './record';

export class Alerts {
  constructor(private readonly record: CanaryRecord) {}

  async send(alert: RolloutAlert, detail?: string): Promise<void> {
    if (!patched(ALERTS)) return;
    await summarized(act.sendAlert, `Alert (${alert.severity}): ${alert.message}`, {
      settings: this.record.settings,
      phase: this.record.state.shown.phase,
      severity: alert.severity,
      message: alert.message,
      detail,
    });
  }

  async sendAll(alerts: readonly RolloutAlert[], detail?: string): Promise<void> {
    for (const a of alerts) await this.send(a, detail);
  }
}
