// Canaries and rollouts read out of Temporal's visibility records: the search attributes a canary's
// workflow keeps (for `list`) and the rollout record each rollout's run leaves in its memo (for
// `history`). Pure, and tolerant: a record another version wrote, or none at all, is skipped.
import { type TypedSearchAttributes } from '@temporalio/common';
import { searchAttributes } from '../workflows/search-attributes';
import { ROLLOUT_MEMO_KEY, type RolloutRecord } from '../workflows/messages';

export interface CanarySummary {
  namespace: string;
  name: string;
  target?: string;
  phase?: string;
  weight?: number;
  revision?: string;
}

/** Namespace and name from the search attributes, else from the workflow ID `canary/<ns>/<name>`. */
export function canarySummary(workflowId: string, attrs: TypedSearchAttributes): CanarySummary | undefined {
  const [prefix, idNamespace, idName, ...rest] = workflowId.split('/');
  const fromId = prefix === 'canary' && rest.length === 0 ? { namespace: idNamespace, name: idName } : {};
  const namespace = attrs.get(searchAttributes.canaryNamespace) ?? fromId.namespace;
  const name = attrs.get(searchAttributes.canaryName) ?? fromId.name;
  if (!namespace || !name) return undefined;
  return {
    namespace,
    name,
    target: attrs.get(searchAttributes.target),
    phase: attrs.get(searchAttributes.phase),
    weight: attrs.get(searchAttributes.canaryWeight),
    revision: attrs.get(searchAttributes.revision),
  };
}

export function byNamespaceAndName(a: CanarySummary, b: CanarySummary): number {
  return a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
}

export interface RolloutEntry extends RolloutRecord {
  runId: string;
  durationMs: number;
}

/** The rollout a run carried, from its memo; undefined for a run that carried none. */
export function rolloutEntry(runId: string, memo: Record<string, unknown> | undefined): RolloutEntry | undefined {
  const r = memo?.[ROLLOUT_MEMO_KEY];
  if (!isRolloutRecord(r)) return undefined;
  const reason = typeof r.reason === 'string' && r.reason !== '' ? r.reason : undefined;
  return { ...r, reason, runId, durationMs: Date.parse(r.finishedAt) - Date.parse(r.startedAt) };
}

export function newestFirst(a: RolloutEntry, b: RolloutEntry): number {
  return (Date.parse(b.startedAt) || 0) - (Date.parse(a.startedAt) || 0);
}

function isRolloutRecord(v: unknown): v is RolloutRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.revision === 'string' &&
    (r.outcome === 'Succeeded' || r.outcome === 'Failed') &&
    typeof r.startedAt === 'string' &&
    typeof r.finishedAt === 'string' &&
    typeof r.strategy === 'string' &&
    (r.reason === undefined || r.reason === null || typeof r.reason === 'string')
  );
}
