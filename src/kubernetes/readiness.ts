// Flagger's readiness verdict for a Deployment (pkg/canary/deployment_ready.go), from one
// observation. Messages are Flagger's reason texts; callers add "<name>.<ns> not ready: " or
// "canary deployment <name>.<ns> not ready: " as Flagger does for the primary and the canary.
import type * as k8s from '@kubernetes/client-node';
import * as msg from '../rollout/messages';

export interface Readiness {
  ready: boolean;
  message: string;
  /**
   * Waiting longer cannot help: the Deployment reports ProgressDeadlineExceeded, or (when a
   * progressDeadlineSeconds is given) it has lacked its minimum available replicas for that long.
   * Flagger's "non-retriable" readiness error, which rolls a canary back.
   */
  deadlineExceeded: boolean;
  /** Available replicas of the current template, and how many the Deployment wants. */
  available: number;
  desired: number;
}

export interface ReadinessOptions {
  /** The Canary's progressDeadlineSeconds; without it only the Deployment's own deadline counts. */
  progressDeadlineSeconds?: number;
  now?: Date;
}

// Raw watch events carry timestamps as strings where typed reads carry Dates.
type Condition = Omit<k8s.V1DeploymentCondition, 'lastUpdateTime'> & { lastUpdateTime?: Date | string };

export function evaluateReadiness(d: k8s.V1Deployment, readyThreshold: number, opts: ReadinessOptions = {}): Readiness {
  const status = d.status ?? {};
  const counts = { available: status.availableReplicas ?? 0, desired: d.spec?.replicas ?? 1 };
  const waiting = (message: string, deadlineExceeded = false): Readiness => ({ ready: false, message, deadlineExceeded, ...counts });
  if ((d.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) return waiting(msg.generationNotObserved());

  const conditions = (status.conditions ?? []) as Condition[];
  const progressing = conditions.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return waiting(msg.progressDeadlineExceeded(d.metadata?.name ?? ''), true);
  }
  const stuck = progressing !== undefined && stuckBeyond(conditions, opts);

  const desired = d.spec?.replicas;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const required = requiredAvailable(updated, readyThreshold);
  if (desired !== undefined && updated < desired) return waiting(msg.replicasNotUpdated(updated, desired), stuck);
  if (total > updated) return waiting(msg.oldReplicasPending(total - updated), stuck);
  if (available < required) return waiting(msg.replicasNotAvailable(available, required, readyThreshold), stuck);
  return { ready: true, message: `${available} of ${updated} updated replicas are available`, deadlineExceeded: false, ...counts };
}

/** Updated replicas that must be available: computed in float32 and truncated, as Flagger does. */
export function requiredAvailable(updated: number, readyThreshold: number): number {
  const ratio = Math.fround(Math.fround(readyThreshold) / 100);
  return Math.trunc(Math.fround(Math.fround(updated) * ratio));
}

/** Available=False/MinimumReplicasUnavailable for longer than the Canary's progress deadline. */
function stuckBeyond(conditions: Condition[], opts: ReadinessOptions): boolean {
  if (opts.progressDeadlineSeconds === undefined) return false;
  const available = conditions.find((c) => c.type === 'Available');
  if (available?.status !== 'False' || available.reason !== 'MinimumReplicasUnavailable') return false;
  if (available.lastUpdateTime === undefined) return false;
  const since = new Date(available.lastUpdateTime).getTime();
  return since + opts.progressDeadlineSeconds * 1000 < (opts.now ?? new Date()).getTime();
}
