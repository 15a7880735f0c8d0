// What the Temporal UI shows for a canary, read the way the UI reads it (through the client): the
// search attributes it lists and filters by, the static summary and details, the live Markdown
// table of steps in the current details, and a summary on each activity in the event history.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultPayloadConverter, type WorkflowExecutionDescription } from '@temporalio/client';
import { workflowMetadataQuery } from '@temporalio/workflow';
import { searchAttributes as sa } from '../../src/workflows/search-attributes';
import { canaryWorkflowId, ROLLOUT_MEMO_KEY, type RolloutRecord } from '../../src/workflows/messages';
import { Scenario } from '../support/scenario';
import { eventually } from '../support/stack';

const NS = 'ui-test';
const WORKFLOW_ID = canaryWorkflowId(NS, 'podinfo');

/** The search attributes the UI's workflow list shows as columns. */
function attributes(d: WorkflowExecutionDescription) {
  const a = d.typedSearchAttributes;
  return {
    namespace: a.get(sa.canaryNamespace),
    name: a.get(sa.canaryName),
    target: a.get(sa.target),
    phase: a.get(sa.phase),
    weight: a.get(sa.canaryWeight),
    revision: a.get(sa.revision),
    outcome: a.get(sa.outcome),
  };
}

describe('a rollout in the Temporal UI', () => {
  const s = new Scenario(NS);
  let revision: string | undefined;

  before(async () => {
    await s.given();
    revision = (await s.thenPhase('Initialized', { timeoutMs: 120_000 })).status?.lastAppliedSpec;
  });
  after(() => s.tearDown());

  it('names the canary in the static summary (workflow list) and static details (workflow page)', async () => {
    const d = await (await s.workflow()).describe();
    const summary = await d.staticSummary();
    const details = await d.staticDetails();
    assert.ok(summary && summary.length <= 200, summary);
    assert.match(summary, /podinfo/);
    assert.match(summary, /ui-test/);
    assert.match(details ?? '', /podinfo/);
    assert.match(details ?? '', /ui-test/);
  });

  it('indexes the canary before any rollout', async () => {
    const a = await eventually('search attributes after initialisation', 30_000, async () => {
      const now = attributes(await (await s.workflow()).describe());
      return now.phase === 'Initialized' ? now : undefined;
    });
    assert.deepEqual(a, { namespace: NS, name: 'podinfo', target: 'podinfo', phase: 'Initialized', weight: 0, revision, outcome: undefined });
  });

  it('shows a Markdown table of steps with measured values and thresholds while the rollout runs', async () => {
    const since = await s.whenImageChanges('6.0.1');
    await s.thenWeight(10, since);
    const wf = await s.workflow();
    const row = await eventually('a measured request-success-rate step in the current details', 60_000, async () => {
      const details = (await wf.query(workflowMetadataQuery)).currentDetails ?? '';
      return details.split('\n').find((l) => l.startsWith('|') && l.includes('request-success-rate') && /\|\s*[\d.]+\s*\|[^|]*99/.test(l));
    });
    const details = (await wf.query(workflowMetadataQuery)).currentDetails ?? '';
    const table = details.split('\n').filter((l) => l.startsWith('|'));
    assert.match(table[0] ?? '', /Value/i);
    assert.match(table[0] ?? '', /Threshold/i);
    assert.match(table[1] ?? '', /^\|(\s*:?-{3,}:?\s*\|)+$/, 'a Markdown header separator');
    assert.ok(table.length >= 4, details);
    assert.match(details, /podinfo/);
    console.log(`# current details row: ${row}`);

    const a = attributes(await wf.describe());
    assert.equal(a.phase, 'Progressing');
    assert.ok((a.weight ?? 0) >= 10, JSON.stringify(a));
    assert.notEqual(a.revision, revision, 'the new revision is indexed');
    const progressing = [];
    for await (const w of (await s.client()).workflow.list({ query: `CanaryNamespace = "${NS}" AND RolloutPhase = "Progressing"` }))
      progressing.push(w.workflowId);
    assert.deepEqual(progressing, [WORKFLOW_ID]);
  });

  it('keeps the outcome on the run that carried the rollout, and lists the canary by its attributes', async () => {
    await s.thenPhase('Succeeded');
    const client = await s.client();
    const carried = await eventually('the run with the rollout outcome', 30_000, async () => {
      const runs = [];
      for await (const w of client.workflow.list({ query: `WorkflowId = "${WORKFLOW_ID}" AND RolloutOutcome = "Succeeded"` })) runs.push(w);
      return runs.length === 1 ? runs[0] : undefined;
    });
    assert.equal(carried?.status.name, 'CONTINUED_AS_NEW');
    const d = await client.workflow.getHandle(WORKFLOW_ID, carried?.runId).describe();
    const a = attributes(d);
    assert.equal(a.outcome, 'Succeeded');
    assert.equal(a.namespace, NS);
    assert.equal(a.name, 'podinfo');
    assert.equal(a.target, 'podinfo');
    assert.equal(a.phase, 'Succeeded');
    assert.equal(a.weight, 0);
    const record = d.memo?.[ROLLOUT_MEMO_KEY] as RolloutRecord | undefined;
    assert.equal(record?.outcome, 'Succeeded');
    assert.equal(record?.revision, a.revision);

    // The next run (the canary's current one) starts without an outcome and keeps the rest.
    const next = await (await s.workflow()).describe();
    assert.notEqual(next.runId, carried?.runId);
    assert.deepEqual(attributes(next), { ...a, outcome: undefined });
    // Continue-as-new carries no user metadata (SDK 1.24): the static summary is the first run's;
    // every run names the canary in its current details from its start.
    const nextDetails = await eventually(
      'current details on the next run',
      30_000,
      async () => (await client.workflow.getHandle(WORKFLOW_ID, next.runId).query(workflowMetadataQuery)).currentDetails || undefined,
    );
    assert.match(nextDetails, /^## podinfo\.ui-test/);

    const listed = [];
    for await (const w of client.workflow.list({ query: `CanaryNamespace = "${NS}" AND CanaryName = "podinfo" AND ExecutionStatus = "Running"` }))
      listed.push(w.workflowId);
    assert.deepEqual(listed, [WORKFLOW_ID]);
  });

  it('summarises the activities in the event history of the rollout run', async () => {
    const client = await s.client();
    let runId: string | undefined;
    for await (const w of client.workflow.list({ query: `WorkflowId = "${WORKFLOW_ID}" AND RolloutOutcome = "Succeeded"` })) runId = w.runId;
    const history = await client.workflow.getHandle(WORKFLOW_ID, runId).fetchHistory();
    // Activity tasks and local activities (recorded as markers) both carry their summary.
    const scheduled = (history.events ?? []).filter(
      (e) => e.activityTaskScheduledEventAttributes || e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
    );
    const summaries = scheduled.flatMap((e) => {
      const p = e.userMetadata?.summary;
      return p ? [defaultPayloadConverter.fromPayload<string>(p)] : [];
    });
    assert.ok(summaries.length >= scheduled.length / 2, `${summaries.length} of ${scheduled.length} activities have a summary`);
    for (const expected of [
      /^Metric request-success-rate$/,
      /^Webhook load-test/,
      /^Route primary \d+ \/ canary [1-9]\d*$/,
      /^Copy podinfo spec to podinfo-primary$/,
    ]) {
      assert.ok(
        summaries.some((x) => expected.test(x)),
        `${String(expected)} among ${JSON.stringify([...new Set(summaries)])}`,
      );
    }
    assert.ok(summaries.every((x) => x.length > 0 && x.length <= 150 && !x.includes('\n')));
  });
});
