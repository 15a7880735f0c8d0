// What each command prints, as text for people and as JSON for scripts. Pure.
import { type RolloutView } from '../workflows/messages';
import { duration, fields, measured, table, timestamp } from './format';
import { type CanarySummary, type RolloutEntry } from './records';

export function renderList(canaries: readonly CanarySummary[]): string {
  if (canaries.length === 0) return 'No canaries are managed by Perch here.';
  return table(
    ['NAMESPACE', 'NAME', 'TARGET', 'PHASE', 'WEIGHT', 'REVISION'],
    canaries.map((c) => [c.namespace, c.name, c.target ?? '-', c.phase || '-', c.weight === undefined ? '-' : `${c.weight}%`, c.revision ?? '-']),
  );
}

export interface StatusReport {
  canary: string;
  view: RolloutView;
  ui: string;
}

export function renderStatus({ canary, view, ui }: StatusReport): string {
  const phase = (view.phase || 'unknown') + (view.paused ? ' (paused: `perch resume ' + canary + '` continues)' : '');
  const pairs: [string, string][] = [
    ['Canary', canary],
    ['Phase', phase],
    ['Revision', view.revision ?? '-'],
    ['Weight', `${view.canaryWeight}%`],
    ['Iteration', String(view.iterations)],
    ['Failed checks', String(view.failedChecks)],
  ];
  const last = view.lastRollout;
  // After a rollout ended, why it ended that way: the check that failed it, its value and threshold.
  if (last)
    pairs.push(['Last rollout', `${last.outcome} ${timestamp(last.finishedAt)}, revision ${last.revision}${last.reason ? `: ${last.reason}` : ''}`]);
  if (view.waitingFor) pairs.push(['Waiting for', `${view.waitingFor} (\`perch approve ${canary}\` approves it once)`]);
  pairs.push(['Last event', view.lastEvent ?? '-'], ['Temporal UI', ui]);
  return [fields(pairs), '', renderChecks(view)].join('\n');
}

function renderChecks(view: RolloutView): string {
  const checks = Object.values(view.checks).sort((a, b) => a.name.localeCompare(b.name));
  if (checks.length === 0) return 'No checks have run in this rollout yet.';
  const rows = checks.map((c) => [c.name, c.kind, measured(c.value), c.threshold ?? '-', c.ok ? 'pass' : 'FAIL', timestamp(c.at)]);
  const failures = checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.message}`);
  return [table(['CHECK', 'KIND', 'VALUE', 'THRESHOLD', 'RESULT', 'AT'], rows), ...(failures.length ? ['', ...failures] : [])].join('\n');
}

export function renderHistory(canary: string, rollouts: readonly RolloutEntry[]): string {
  if (rollouts.length === 0) return `${canary} has not finished a rollout yet.`;
  return table(
    ['STARTED', 'DURATION', 'OUTCOME', 'STRATEGY', 'REVISION', 'REASON'],
    rollouts.map((r) => [timestamp(r.startedAt), duration(r.durationMs), r.outcome, r.strategy, r.revision, r.reason ?? '-']),
  );
}

export const SIGNALS = ['pause', 'resume', 'abort', 'promote', 'approve', 'retry'] as const;
export type SignalName = (typeof SIGNALS)[number];

/** Phases in which a rollout is under way (the analysis or the promotion). */
export const IN_PROGRESS: ReadonlySet<string> = new Set(['Progressing', 'Waiting', 'WaitingPromotion', 'Promoting', 'Finalising']);

export const SIGNAL_HELP: Record<SignalName, string> = {
  pause: 'hold the running analysis: no weight moves and no check counts until resume',
  resume: 'continue a paused analysis',
  abort: 'roll the running rollout back to the primary now',
  promote: 'promote the running rollout now, skipping its remaining steps',
  approve: 'approve the gate the rollout waits at (confirm-rollout, -traffic-increase or -promotion) once',
  retry: 'roll the current revision out again after it failed',
};

/**
 * One line saying what the signal will do, given the state the workflow last answered (undefined
 * when it could not be asked).
 */
export function signalLine(signal: SignalName, canary: string, view: RolloutView | undefined): string {
  const running = view === undefined || IN_PROGRESS.has(view.phase);
  const idle = view === undefined ? '' : ` No rollout is running (phase ${view.phase || 'unknown'}),`;
  switch (signal) {
    case 'pause':
      return running
        ? `Pausing ${canary}: the analysis holds at the end of the current interval until \`perch resume ${canary}\`.`
        : `Pausing ${canary}:${idle} so the next rollout holds at its first interval until \`perch resume ${canary}\`.`;
    case 'resume':
      return view !== undefined && !view.paused
        ? `Resuming ${canary}: it was not paused, so nothing changes.`
        : `Resuming ${canary}: the analysis continues from where it held.`;
    case 'abort':
      return running
        ? `Aborting ${canary}: the rollout rolls back to the primary within one interval.`
        : `Aborting ${canary}:${idle} so there is nothing to roll back.`;
    case 'promote':
      return running
        ? `Promoting ${canary}: the rollout skips its remaining steps and promotes now.`
        : `Promoting ${canary}:${idle} so there is nothing to promote.`;
    case 'approve':
      if (view === undefined) return `Approving ${canary}: the gate it waits at, if any, opens once.`;
      return view.waitingFor
        ? `Approving ${canary}: the ${view.waitingFor} gate opens once and the rollout goes on.`
        : `Approving ${canary}: it waits at no gate now, so the approval is ignored.`;
    case 'retry':
      return view === undefined || view.phase === 'Failed'
        ? `Retrying ${canary}: its current revision rolls out again.`
        : `Retrying ${canary}: its last rollout did not fail (phase ${view.phase || 'unknown'}), so there is nothing to retry.`;
  }
}

export type OutputFormat = 'text' | 'json';

/** Where output goes: process.stdout, or a test's collector. */
export interface Out {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
