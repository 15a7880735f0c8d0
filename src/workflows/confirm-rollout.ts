// The confirm-rollout gate: before a new revision is scaled up, its hooks must say yes. While they
// say no, the Canary is Waiting (announced and alerted once) and the gate is asked again every
// interval; an approve signal opens it too.
import { condition } from '@temporalio/workflow';
import { type CanarySettings } from '../api/canary-settings';
import * as msg from '../rollout/messages';
import { type Alerts } from './alerts';
import { type Checks } from './checks';
import { type Controls } from './controls';
import { type Reporter } from './reporter';

/** True when the rollout may start; false after one interval of waiting (or a change notice). */
export async function confirmRollout(settings: CanarySettings, checks: Checks, controls: Controls, reporter: Reporter, alerts: Alerts): Promise<boolean> {
  if (!settings.analysis.webhooks.some((h) => h.type === 'confirm-rollout')) return true;
  const phase = reporter.view.phase === '' ? 'Initialized' : reporter.view.phase;
  const results = await checks.gate('confirm-rollout', phase);
  const ref = { name: settings.name, namespace: settings.namespace, targetName: settings.targetRef.name };
  const refusal = results.find((r) => !r.ok);
  if (refusal === undefined) {
    for (const r of results) await reporter.event(msg.info(msg.confirmRolloutPassed(r.name)));
    reporter.waiting(undefined);
    return true;
  }
  // The Canary's phase says whether the wait was announced: it survives restarts and new runs.
  if (reporter.view.phase !== 'Waiting') {
    await reporter.status({ phase: 'Waiting' });
    await reporter.event(msg.warning(msg.waitingForApproval(ref, refusal.name)));
    if (!checks.refusalMuted('confirm-rollout')) await alerts.send(msg.alerts.waitingForApproval());
  }
  reporter.waiting('confirm-rollout');
  // Only news that arrives during the wait cuts it short; what came before is looked at next.
  controls.changed = false;
  await condition(() => controls.interrupting, settings.analysis.intervalMs);
  return false;
}
