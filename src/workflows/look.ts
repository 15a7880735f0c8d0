// One look at a Canary and its target, answered as what the workflow should do next. The lifecycle
// (canary.ts) acts on the answer, the way the rollout acts on decide()'s.
import { patched } from '@temporalio/workflow';
import { type CanaryStatus } from '../api/canary';
import { quick } from './activities';
import { type Inbox } from './inbox';
import { ADOPT_PROMOTED, BACK_TO_PROMOTED, REVERT_ON_DELETION, UNFINISHED_ROLLOUT } from './patches';
import { type CanaryRecord } from './record';
import { canaryLoaded, type TargetRevision } from './state';

/** What the look found; the Canary's spec, when valid, is in the record's state. */
export type Look =
  /** The Canary is gone: its owned objects are garbage-collected, and its workflow ends. */
  | { kind: 'gone' }
  /** The Canary (or its target) cannot be acted on; `problems` say why. */
  | { kind: 'invalid'; problems: string[] }
  /** Deleted, with revertOnDeletion: the target must serve again before the finalizer goes. */
  | { kind: 'deleting' }
  | { kind: 'uninitialized'; canaryUid: string; target: TargetRevision }
  /** A rollout carried over from the previous run goes on where it stood. */
  | { kind: 'resume' }
  /** A revision to roll out: new, or the failed one again on request. */
  | ({ kind: 'rollout'; target: TargetRevision } & SpecNews)
  /** The target is back at the revision the primary runs: nothing to analyse. */
  | ({ kind: 'back-to-promoted'; target: TargetRevision } & SpecNews)
  /**
   * The primary already runs the target, under a lastAppliedSpec Perch did not write (Flagger's
   * hash): the revision was promoted before Perch took over, and is adopted without analysis.
   */
  | ({ kind: 'adopt'; target: TargetRevision } & SpecNews)
  /** Nothing to do until something changes. */
  | ({ kind: 'idle' } & SpecNews);

interface SpecNews {
  /** The spec changed since the workflow last acted on it (status.observedGeneration is behind). */
  specChanged: boolean;
}

/** `resuming`: a rollout continues from the previous run. */
export async function look(record: CanaryRecord, inbox: Inbox, resuming: boolean): Promise<Look> {
  const { namespace, name } = record.ref;
  const loaded = await quick().loadCanary({ namespace, name });
  if (loaded.kind === 'missing') return { kind: 'gone' };
  if (loaded.kind === 'invalid') {
    record.update(canaryLoaded, { canary: record.ref, uid: loaded.uid, status: loaded.status, generation: loaded.generation });
    return { kind: 'invalid', problems: loaded.problems };
  }
  const { settings, status } = loaded;
  const canary = { namespace, name, targetName: settings.targetRef.name };
  record.update(canaryLoaded, { canary, uid: loaded.uid, status, settings, generation: loaded.generation });
  if (loaded.deleting) return { kind: 'deleting' };
  // The finalizer follows revertOnDeletion, before anything else is done for the Canary.
  if (settings.revertOnDeletion !== loaded.finalized && patched(REVERT_ON_DELETION)) {
    await quick().setCanaryFinalizer({ namespace, name, present: settings.revertOnDeletion });
  }
  record.indexIdentity(settings);
  const inspected = await quick().inspectTarget({ namespace, name: settings.targetRef.name });
  if (!inspected.exists) return { kind: 'invalid', problems: [`target Deployment ${settings.targetRef.name}.${namespace} not found`] };
  const target = { revision: inspected.revision, trackedConfigs: inspected.trackedConfigs };
  if (!isInitialized(status)) return { kind: 'uninitialized', canaryUid: loaded.uid, target };
  if (resuming) return { kind: 'resume' };
  const news = { specChanged: loaded.generation !== undefined && status.observedGeneration !== loaded.generation };
  const retry = inbox.takeRetry() && status.phase === 'Failed';
  const changed = target.revision !== status.lastAppliedSpec;
  // Not resuming, yet the Canary shows this revision's rollout under way: the workflow task that
  // started it wrote the status, then was lost (Temporal or the worker went away before it was
  // recorded). Nothing else would ever move it on; it starts again from the first step.
  const unfinished = !changed && UNDER_WAY.includes(status.phase) && patched(UNFINISHED_ROLLOUT);
  if (settings.suspend || (!changed && !retry && !unfinished)) return { kind: 'idle', ...news };
  // Flagger's rule: a target set back to the revision last promoted is not a change to analyse.
  if (changed && !retry && target.revision === status.lastPromotedSpec && patched(BACK_TO_PROMOTED)) {
    return { kind: 'back-to-promoted', target, ...news };
  }
  // Taken over from Flagger: its rollout had ended and the primary runs the target already. A
  // rollout Flagger left midway (Progressing, Promoting, ...) is analysed afresh instead.
  if (changed && !retry && inspected.primaryMatches === true && SETTLED.includes(status.phase) && patched(ADOPT_PROMOTED)) {
    return { kind: 'adopt', target, ...news };
  }
  return { kind: 'rollout', target, ...news };
}

/** The phases in which no rollout is under way and the primary serves all traffic. */
const SETTLED: readonly (CanaryStatus['phase'] | undefined)[] = ['Initialized', 'Succeeded', 'Failed'];

/** The phases a rollout writes once it has started, with its revision as lastAppliedSpec. */
const UNDER_WAY: readonly (CanaryStatus['phase'] | undefined)[] = ['Progressing', 'WaitingPromotion', 'Promoting', 'Finalising'];

function isInitialized(status: CanaryStatus): boolean {
  return status.lastAppliedSpec !== undefined && status.phase !== '' && status.phase !== 'Initializing' && status.phase !== undefined;
}
