// Flagger's encoding of a Canary's phase in flagger_canary_status: dashboards and alerts written for
// Flagger read 0 as "analysis running", 2 as "failed" and 1 as everything else.
import { type CanaryPhase } from '../api/canary';

export const STATUS_PROGRESSING = 0;
export const STATUS_OTHER = 1;
export const STATUS_FAILED = 2;

/** 0 for Progressing, 2 for Failed, 1 for every other phase (Waiting, Promoting, Succeeded, ...). */
export function statusValue(phase: CanaryPhase): number {
  if (phase === 'Progressing') return STATUS_PROGRESSING;
  if (phase === 'Failed') return STATUS_FAILED;
  return STATUS_OTHER;
}
