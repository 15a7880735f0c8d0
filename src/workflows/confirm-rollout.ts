// The confirm-rollout gate: before a new revision is scaled up, its hooks must say yes. While they
// say no, the Canary is Waiting (announced and alerted once) and the gate is asked again every
// interval; an approve signal opens it too.
import { condition } from '@temporalio/workflow';
import { phaseSet, waitingAt } from './state';
import * as msg from '../rollout/messages';
import { type Alerts } from './alerts';
import { type Checks } from './checks';
import { type Inbox } from './inbox';
import { type CanaryRecord } from './record';

/** True when the rollout may start; false after one interval of waiting (or news). */
export async function confirmRollout(checks: Checks, inbox: Inbox, record: CanaryRecord, alerts: Alerts): Promise<boolean> {
  const { settings } = record;
  if (!settings.analysis.webhooks.some((h) => h.type === 'confirm-rollout')) return true;
  const shown = record.state.shown.phase;
  const results = await checks.gate('confirm-rollout', shown === '' ? 'Initialized' : shown);
  const refusal = results.find((r) => !r.ok);
  if (refusal === undefined) {
    for (const r of results) await record.event(msg.info(msg.confirmRolloutPassed(r.name)));
    record.update(waitingAt, undefined);
    return true;
  }
  // The Canary's phase says whether the wait was announced: it survives restarts and new runs.
  if (record.state.shown.phase !== 'Waiting') {
    record.update(phaseSet, 'Waiting');
    await record.writeStatus();
    await record.event(msg.warning(msg.waitingForApproval(record.ref, refusal.name)));
    if (!checks.refusalMuted('confirm-rollout')) await alerts.send(msg.alerts.waitingForApproval());
  }
  record.update(waitingAt, 'confirm-rollout');
  // Only news that arrives during the wait cuts it short; what came before is looked at next.
  inbox.takeChange();
  await condition(() => inbox.hasNews, settings.analysis.intervalMs);
  return false;
}
