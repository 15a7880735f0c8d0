// One look at a Canary and its target, answered as what the workflow should do next. The lifecycle
// (canary.ts) acts on the answer, the way the rollout acts on decide()'s.
import { patched } from '@temporalio/workflow';
import { type CanaryStatus } from '../api/canary';
import { type CanarySettings } from '../api/canary-settings';
import { canaryLoaded, type TargetRevision } from '../rollout/canary-state';
import { act } from './activities';
import { type Inbox } from './inbox';
import { REVERT_ON_DELETION } from './patches';
import { type CanaryRecord } from './record';

export type Look =
  /** The Canary is gone: its owned objects are garbage-collected, and its workflow ends. */
  | { kind: 'gone' }
  /** The Canary (or its target) cannot be acted on; `problems` say why. */
  | { kind: 'invalid'; problems: string[] }
  /** Deleted, with revertOnDeletion: the target must serve again before the finalizer goes. */
  | { kind: 'deleting'; settings: CanarySettings }
  | { kind: 'uninitialized'; settings: CanarySettings; canaryUid: string; target: TargetRevision }
  /** A rollout carried over from the previous run goes on where it stood. */
  | { kind: 'resume'; settings: CanarySettings }
  /** A revision to roll out: new, or the failed one again on request. */
  | { kind: 'rollout'; settings: CanarySettings; target: TargetRevision }
  /** Nothing to do until something changes. */
  | { kind: 'idle'; settings: CanarySettings; target: TargetRevision };

/** `resuming`: a rollout continues from the previous run. */
export async function look(record: CanaryRecord, inbox: Inbox, resuming: boolean): Promise<Look> {
  const { namespace, name } = record.ref;
  const loaded = await act.loadCanary({ namespace, name });
  if (loaded.kind === 'missing') return { kind: 'gone' };
  const canary = loaded.kind === 'ok' ? { namespace, name, targetName: loaded.settings.targetRef.name } : record.ref;
  record.update(canaryLoaded, { canary, status: loaded.status });
  if (loaded.kind === 'invalid') return { kind: 'invalid', problems: loaded.problems };
  const { settings, status } = loaded;
  if (loaded.deleting) return { kind: 'deleting', settings };
  // The finalizer follows revertOnDeletion, before anything else is done for the Canary.
  if (settings.revertOnDeletion !== loaded.finalized && patched(REVERT_ON_DELETION)) {
    await act.setCanaryFinalizer({ namespace, name, present: settings.revertOnDeletion });
  }
  record.attach(settings);
  const inspected = await act.inspectTarget({ namespace, name: settings.targetRef.name });
  if (!inspected.exists) return { kind: 'invalid', problems: [`target Deployment ${settings.targetRef.name}.${namespace} not found`] };
  const target = { revision: inspected.revision, trackedConfigs: inspected.trackedConfigs };
  if (!isInitialized(status)) return { kind: 'uninitialized', settings, canaryUid: loaded.uid, target };
  if (resuming) return { kind: 'resume', settings };
  const retry = inbox.takeRetry() && status.phase === 'Failed';
  if (!settings.suspend && (target.revision !== status.lastAppliedSpec || retry)) return { kind: 'rollout', settings, target };
  return { kind: 'idle', settings, target };
}

function isInitialized(status: CanaryStatus): boolean {
  return status.lastAppliedSpec !== undefined && status.phase !== '' && status.phase !== 'Initializing' && status.phase !== undefined;
}
