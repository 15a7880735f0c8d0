// Temporal's time-skipping test server for tests that need days of workflow time in minutes of
// wall time. The binary comes from scripts/install/temporal-test-server.sh (the SDK would otherwise
// download it at run time, which this project's machines cannot). While a test holds the time
// (the default), workflow time runs at wall-clock speed; env.sleep(d) lets the server jump from
// timer to timer, as soon as no workflow or activity task is in flight, until d has passed.
import { existsSync } from 'node:fs';
import { after, before } from 'node:test';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { searchAttributes } from '../../src/workflows/search-attributes';

/** Where scripts/install/temporal-test-server.sh puts the binary. */
export function testServerPath(): string {
  const cache = process.env.PERCH_CACHE ?? join(homedir(), '.cache', 'perch');
  const path = join(cache, 'bin', 'temporal-test-server');
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run scripts/install/temporal-test-server.sh (or scripts/install.sh) first`);
  }
  return path;
}

/**
 * Starts a private time-skipping server with Perch's search attributes registered (as the stack
 * registers them on its dev server): the workflow's upserts fail its tasks otherwise. Time
 * skipping is global to the server, so each test file gets its own and runs its cases in turn.
 */
export async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServerPath() } } });
  const wanted = Object.fromEntries(Object.values(searchAttributes).map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type) ?? 0]));
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes: wanted });
  return env;
}

/**
 * A time-skipping server for the calling describe block: started before its tests (the SDK's own
 * logs at WARN) and torn down after them. Answers the environment, once started.
 */
export function useTimeSkipping(): () => TestWorkflowEnvironment {
  let env: TestWorkflowEnvironment | undefined;
  before(
    async () => {
      Runtime.install({ logger: new DefaultLogger('WARN') });
      env = await startTimeSkipping();
    },
    { timeout: 120_000 },
  );
  after(async () => {
    await env?.teardown();
  });
  return () => {
    if (env === undefined) throw new Error('the time-skipping server has not started');
    return env;
  };
}

/** One run of a workflow ID: its place in the continue-as-new chain and its history. */
export interface RunRecord {
  runId: string;
  /** Events in the run's history so far. */
  historyLength: number;
  /** The run's input (the workflow's first argument), as started. */
  input: unknown;
  /** Set when the run ended by continuing as new. */
  continuedAs?: string;
}

const EventType = temporal.api.enums.v1.EventType;

/**
 * Every run of `workflowId` from `firstRunId` on, following continue-as-new links through the
 * histories, so the chain is read from the server's own record and not from visibility (which the
 * time-skipping server only partly implements).
 */
export async function runChain(client: Client, workflowId: string, firstRunId: string): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  for (let runId: string | undefined = firstRunId; runId !== undefined;) {
    const history: temporal.api.history.v1.IHistory = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
    const started = events[0]?.workflowExecutionStartedEventAttributes;
    const payload = started?.input?.payloads?.[0];
    const last = events.at(-1);
    const next: string | undefined =
      last?.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
        ? (last.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined)
        : undefined;
    runs.push({
      runId,
      historyLength: events.length,
      input: payload ? defaultPayloadConverter.fromPayload(payload) : undefined,
      ...(next && { continuedAs: next }),
    });
    runId = next;
  }
  return runs;
}

/** Polls `probe` in wall-clock time (the test server's time held) until it answers a value. */
export async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
