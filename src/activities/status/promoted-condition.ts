// The Canary's single `Promoted` condition, by Flagger's rules (pkg/canary/status.go), so that
// `kubectl wait canary/x --for=condition=promoted` behaves as with Flagger. Pure.
import { type CanaryCondition, PROMOTED_CONDITION } from '../../api/canary';

type ConditionStatus = CanaryCondition['status'];

/** Status and message per phase; `kind` is spec.targetRef.kind (e.g. "Deployment"). */
function rule(phase: string, kind: string): { status: ConditionStatus; message: string } {
  switch (phase) {
    case 'Initialized':
      return { status: 'True', message: `${kind} initialization completed.` };
    case 'Waiting':
    case 'WaitingPromotion':
      return { status: 'Unknown', message: 'Waiting for approval.' };
    case 'Progressing':
      return { status: 'Unknown', message: 'New revision detected, progressing canary analysis.' };
    case 'Promoting':
      return { status: 'Unknown', message: 'Canary analysis completed, starting primary rolling update.' };
    case 'Finalising':
      return { status: 'Unknown', message: 'Canary analysis completed, routing all traffic to primary.' };
    case 'Succeeded':
      return { status: 'True', message: 'Canary analysis completed successfully, promotion finished.' };
    case 'Failed':
      return { status: 'False', message: `Canary analysis failed, ${kind} scaled to zero.` };
    // Initializing, and (as in Flagger) every phase without a rule of its own.
    default:
      return { status: 'Unknown', message: `New ${kind} detected, starting initialization.` };
  }
}

/**
 * The condition for `phase`, or undefined when the current one already has its status and reason
 * (Flagger rewrites it only then). The transition time survives a change of reason alone.
 * `why` follows Flagger's message (the check that failed a rollback, Flagger #1810); a later write
 * without one keeps it.
 */
export function promotedCondition(
  phase: string,
  kind: string,
  current: CanaryCondition | undefined,
  now: string,
  why?: string,
): CanaryCondition | undefined {
  const { status, message: flaggers } = rule(phase, kind);
  const message = why === undefined ? flaggers : `${flaggers} ${why}`;
  if (current && current.status === status && current.reason === phase && (why === undefined || current.message === message)) return undefined;
  const transitioned = !current || current.status !== status || !current.lastTransitionTime;
  return {
    type: PROMOTED_CONDITION,
    status,
    reason: phase,
    message,
    lastUpdateTime: now,
    lastTransitionTime: transitioned ? now : (current.lastTransitionTime ?? now),
  };
}
