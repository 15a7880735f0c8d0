// `perch history ns/name`: the canary's finished rollouts, newest first. Each rollout ends its
// workflow run (continue-as-new) with a record in the run's memo, so listing the runs of the
// canary's workflow ID, closed ones included, lists its rollouts.
import { type CanaryRef, refText } from '../args';
import { type Temporal } from '../client';
import { unknownCanary } from '../errors';
import { newestFirst, type RolloutEntry, rolloutEntry } from '../records';
import { json, type OutputFormat, renderHistory } from '../render';
import { canaryWorkflowId } from '../../workflows/messages';

export interface HistoryOptions {
  limit: number;
  output: OutputFormat;
}

/** Runs looked at, at most: a bound on the work for a canary with a very long past. */
const MAX_RUNS = 2_000;

export async function historyCommand(t: Temporal, ref: CanaryRef, opts: HistoryOptions): Promise<string> {
  const query = `WorkflowId = "${canaryWorkflowId(ref.namespace, ref.name)}"`;
  const { runs, rollouts } = await t.call(ref, async () => {
    const found: RolloutEntry[] = [];
    let seen = 0;
    for await (const wf of t.client.workflow.list({ query })) {
      const entry = rolloutEntry(wf.runId, wf.memo);
      if (entry) found.push(entry);
      if (++seen >= MAX_RUNS) break;
    }
    return { runs: seen, rollouts: found.sort(newestFirst).slice(0, opts.limit) };
  });
  if (runs === 0) throw unknownCanary(refText(ref));
  return opts.output === 'json' ? json(rollouts) : renderHistory(refText(ref), rollouts);
}
