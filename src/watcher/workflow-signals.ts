// The watcher's one message to a Canary's workflow: `reconcile`, with what it saw. For a Canary that
// exists, signal-with-start (the workflow is started if none runs under the Canary's ID); for one
// that is gone, a plain signal, and no workflow is no one to tell.
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { type Canary } from '../api/canary';
import { searchAttributes } from '../workflows/search-attributes';
import { canaryWorkflowId, reconcileSignal } from '../workflows/messages';
import { type Sight } from './delivery';
import { staticDetails, staticSummary } from './workflow-metadata';

/** One attempt may take this long; the SDK's own retries of an unreachable server stop there. */
export const SIGNAL_TIMEOUT_MS = 10_000;

export interface CanarySight extends Sight {
  canary: Canary;
  /** The target's revision (revisionOf), '' when the Deployment does not exist. */
  revision: string;
}

/** `id` of a sight: two equal ones need no second signal. */
export const sightId = (generation: number, revision: string): string => `${generation}:${revision}`;

export async function signalCanary(
  client: Client,
  taskQueue: string,
  namespace: string,
  name: string,
  reason: string,
  sight: CanarySight | undefined,
): Promise<void> {
  const workflowId = canaryWorkflowId(namespace, name);
  const deadline = Date.now() + SIGNAL_TIMEOUT_MS;
  if (sight === undefined) {
    try {
      await client.connection.withDeadline(deadline, () => client.workflow.getHandle(workflowId).signal(reconcileSignal, { reason }));
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    return;
  }
  const { canary, revision } = sight;
  await client.connection.withDeadline(deadline, () =>
    client.workflow.signalWithStart('canaryWorkflow', {
      workflowId,
      taskQueue,
      args: [{ namespace, name }],
      // Filterable in the UI from the start; the workflow keeps them (and the rest) up to date.
      typedSearchAttributes: [
        { key: searchAttributes.canaryNamespace, value: namespace },
        { key: searchAttributes.canaryName, value: name },
        { key: searchAttributes.target, value: canary.spec.targetRef.name },
      ],
      staticSummary: staticSummary(canary),
      staticDetails: staticDetails(canary),
      signal: reconcileSignal,
      signalArgs: [{ reason, generation: canary.metadata.generation ?? 0, revision }],
    }),
  );
}
