// The Markdown a rollout shows as its "current details" in the Temporal UI: where it stands, then a
// table of the steps so far with measured values and thresholds. Pure, so tests and the workflow
// render the same text.

export interface DetailStep {
  /** ISO time (workflow time). */
  at: string;
  step: string;
  /** ok / failed for checks, the Event's level for events. */
  result: string;
  value?: string;
  threshold?: string;
}

export interface DetailHeader {
  canary: string;
  phase: string;
  canaryWeight: number;
  iterations: number;
  failedChecks: number;
  paused: boolean;
  revision?: string;
  waitingFor?: string;
}

/** Steps kept in the details; the UI field holds 20 KB, and older steps are in the event history. */
export const MAX_DETAIL_STEPS = 60;

const cell = (s: string | undefined): string => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderDetails(h: DetailHeader, steps: readonly DetailStep[]): string {
  const state = [
    `phase **${h.phase || 'unknown'}**`,
    `canary weight ${h.canaryWeight}%`,
    `iterations ${h.iterations}`,
    `failed checks ${h.failedChecks}`,
    ...(h.paused ? ['**paused**'] : []),
    ...(h.waitingFor !== undefined ? [`waiting for approval at **${h.waitingFor}**`] : []),
  ].join(', ');
  const lines = [
    `## ${h.canary}`,
    '',
    state + (h.revision !== undefined ? `; revision \`${h.revision}\`` : ''),
    '',
    '| Time | Step | Result | Value | Threshold |',
    '|---|---|---|---|---|',
    ...steps
      .slice(-MAX_DETAIL_STEPS)
      .map((s) => `| ${s.at.slice(11, 19)} | ${cell(s.step)} | ${cell(s.result)} | ${cell(s.value)} | ${cell(s.threshold)} |`),
  ];
  return lines.join('\n');
}
