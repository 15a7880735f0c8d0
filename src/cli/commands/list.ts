// `perch list [-n ns]`: every canary whose workflow runs, from Temporal's visibility store.
import { type Temporal } from '../client';
import { byNamespaceAndName, type CanarySummary, canarySummary } from '../records';
import { json, type OutputFormat, renderList } from '../render';

export interface ListOptions {
  namespace?: string;
  output: OutputFormat;
}

/** The workflow type the watcher starts for every Canary. */
const CANARY_WORKFLOW_TYPE = 'canaryWorkflow';

export async function listCommand(t: Temporal, opts: ListOptions): Promise<string> {
  // The namespace was checked to be a Kubernetes name, so it is safe inside the query.
  const query = [
    `WorkflowType = "${CANARY_WORKFLOW_TYPE}"`,
    `ExecutionStatus = "Running"`,
    ...(opts.namespace !== undefined ? [`CanaryNamespace = "${opts.namespace}"`] : []),
  ].join(' AND ');
  const canaries = await t.call(undefined, async () => {
    const found: CanarySummary[] = [];
    for await (const wf of t.client.workflow.list({ query })) {
      const c = canarySummary(wf.workflowId, wf.typedSearchAttributes);
      if (c) found.push(c);
    }
    return found.sort(byNamespaceAndName);
  });
  return opts.output === 'json' ? json(canaries) : renderList(canaries);
}
