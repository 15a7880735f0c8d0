// Flagger's readiness verdict for a Deployment (pkg/canary/deployment_ready.go) or a DaemonSet
// (daemonset_ready.go), from one observation. Messages are Flagger's reason texts; callers add
// "<name>.<ns> not ready: " or "canary deployment <name>.<ns> not ready: " as Flagger does for the
// primary and the canary.
import type * as k8s from '@kubernetes/client-node';
import * as msg from '../rollout/messages';
import { canonicalJson } from './canonical-json';

export interface Readiness {
  ready: boolean;
  message: string;
  /**
   * Waiting longer cannot help: the Deployment reports ProgressDeadlineExceeded, or (when a
   * progressDeadlineSeconds is given) it has lacked its minimum available replicas for that long.
   * Flagger's "non-retriable" readiness error, which rolls a canary back.
   */
  deadlineExceeded: boolean;
  /**
   * Available pods of the current template (the updated ReplicaSet's), and how many the workload
   * wants. Exact when the caller counted the updated ReplicaSet (`updatedAvailable`) or no old pod
   * remains; otherwise the least it can be: available pods minus those not updated.
   */
  available: number;
  desired: number;
}

export interface ReadinessOptions {
  /** The Canary's progressDeadlineSeconds; without it only the Deployment's own deadline counts. */
  progressDeadlineSeconds?: number;
  now?: Date;
  /** Available pods of the updated ReplicaSet (newReplicaSetOf), when the caller read them. */
  updatedAvailable?: number;
}

// Raw watch events carry timestamps as strings where typed reads carry Dates.
type Condition = Omit<k8s.V1DeploymentCondition, 'lastUpdateTime'> & { lastUpdateTime?: Date | string };

export function evaluateReadiness(d: k8s.V1Deployment, readyThreshold: number, opts: ReadinessOptions = {}): Readiness {
  const status = d.status ?? {};
  const observed = (d.metadata?.generation ?? 0) <= (status.observedGeneration ?? 0);
  const counts = { available: opts.updatedAvailable ?? updatedAvailableAtLeast(status, observed), desired: d.spec?.replicas ?? 1 };
  const waiting = (message: string, deadlineExceeded = false): Readiness => ({ ready: false, message, deadlineExceeded, ...counts });
  if (!observed) return waiting(msg.generationNotObserved());

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

/** Before the controller observed the template no pod runs it; after, old pods may be among the available ones. */
function updatedAvailableAtLeast(status: k8s.V1DeploymentStatus, observed: boolean): number {
  if (!observed) return 0;
  const old = Math.max(0, (status.replicas ?? 0) - (status.updatedReplicas ?? 0));
  return Math.max(0, (status.availableReplicas ?? 0) - old);
}

/**
 * The Deployment's ReplicaSet for its current pod template (the one the Deployment controller
 * compares with, ignoring the pod-template-hash label it adds), among `sets`.
 */
export function newReplicaSetOf(d: k8s.V1Deployment, sets: readonly k8s.V1ReplicaSet[]): k8s.V1ReplicaSet | undefined {
  const uid = d.metadata?.uid;
  const want = canonicalJson(withoutHash(d.spec?.template));
  return sets.find(
    (rs) =>
      rs.metadata?.ownerReferences?.some((o) => o.uid === uid && o.controller === true) === true &&
      canonicalJson(withoutHash(rs.spec?.template)) === want,
  );
}

function withoutHash(template: k8s.V1PodTemplateSpec | undefined): k8s.V1PodTemplateSpec {
  const labels = { ...template?.metadata?.labels };
  delete labels['pod-template-hash'];
  // The API server stamps creationTimestamp on embedded templates; it says nothing about the pods.
  return { ...template, metadata: { ...template?.metadata, labels, creationTimestamp: undefined } };
}

/**
 * Flagger's DaemonSet verdict: every node runs an updated pod, and every one is available. No
 * readyThreshold applies, and no deadline of its own: the waits bound it with progressDeadlineSeconds.
 */
export function evaluateDaemonSetReadiness(d: k8s.V1DaemonSet): Readiness {
  const status = d.status;
  const desired = status?.desiredNumberScheduled ?? 0;
  const updated = status?.updatedNumberScheduled ?? 0;
  const availableAll = status?.numberAvailable ?? 0;
  const observed = (d.metadata?.generation ?? 0) <= (status?.observedGeneration ?? 0);
  // Nodes without an updated pod may run an available old one.
  const available = observed ? Math.max(0, Math.min(updated, availableAll - Math.max(0, desired - updated))) : 0;
  const waiting = (message: string): Readiness => ({ ready: false, message, deadlineExceeded: false, available, desired });
  if (!observed) return waiting(msg.daemonSetGenerationNotObserved());
  if (updated < desired) return waiting(msg.podsNotUpdated(updated, desired));
  if (availableAll < desired) return waiting(msg.podsNotAvailable(availableAll, desired));
  return { ready: true, message: `${available} of ${desired} updated pods are available`, deadlineExceeded: false, available, desired };
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
