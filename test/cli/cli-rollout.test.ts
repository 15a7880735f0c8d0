// The built `perch` CLI against a real seed rollout (own namespace, Perch's worker and watcher as
// processes): list and status read it, pause/resume/abort/promote/retry steer it, history records it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RolloutView } from '../../src/workflows/messages';
import { type CanarySummary, type RolloutEntry } from '../../src/cli/records';
import { Scenario } from '../support/scenario';
import { eventually } from '../support/stack';
import { cli, type CliResult, noStackTrace, startCli } from './run-cli';

const NS = 'cli-test';
const TARGET = `${NS}/podinfo`;

function ok(r: CliResult): string {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  assert.ok(noStackTrace(r), r.stderr);
  return r.stdout;
}

async function statusJson(): Promise<RolloutView & { ui: string }> {
  return JSON.parse(ok(await cli('status', TARGET, '-o', 'json'))) as RolloutView & { ui: string };
}

async function history(): Promise<RolloutEntry[]> {
  return JSON.parse(ok(await cli('history', TARGET, '-o', 'json'))) as RolloutEntry[];
}

describe('perch CLI on a rollout', () => {
  const s = new Scenario(NS);

  before(async () => {
    await s.given();
    await s.thenPhase('Initialized', { timeoutMs: 120_000 });
  });
  after(() => s.tearDown());

  it('lists the canary with its target, phase and revision', async () => {
    const listed = await eventually('the canary listed as Initialized', 30_000, async () => {
      const all = JSON.parse(ok(await cli('list', '-n', NS, '-o', 'json'))) as CanarySummary[];
      return all.length === 1 && all[0]?.phase === 'Initialized' ? all[0] : undefined;
    });
    assert.equal(listed.namespace, NS);
    assert.equal(listed.name, 'podinfo');
    assert.equal(listed.target, 'podinfo');
    assert.equal(listed.weight, 0);
    assert.equal(listed.revision, (await s.canary()).status?.lastAppliedSpec);
    const text = ok(await cli('list', '-n', NS));
    assert.match(text, /^NAMESPACE +NAME +TARGET +PHASE +WEIGHT +REVISION$/m);
    assert.match(text, new RegExp(`^${NS} +podinfo +podinfo +Initialized +0% +${listed.revision}$`, 'm'));
  });

  it('shows status, pauses and resumes through the CLI, and watches the rollout to success', async () => {
    const since = await s.whenImageChanges('6.0.1');
    await s.thenWeight(10, since);
    const text = ok(await cli('status', TARGET));
    assert.match(text, /^Phase +Progressing$/m);
    assert.match(text, /^Weight +[1-9]\d*%$/m);
    assert.match(text, /^Temporal UI +http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\/canary%2Fcli-test%2Fpodinfo$/m);
    assert.match(text, /^request-success-rate +metric +\d/m);

    const watch = startCli(['status', TARGET, '--watch', '--until-finished']);
    await eventually('the watch showing the rollout', 30_000, () => Promise.resolve(/^Phase +Progressing$/m.test(watch.stdout()) ? true : undefined));
    assert.match(ok(await cli('pause', TARGET)), /^Pausing cli-test\/podinfo: the analysis holds/);
    assert.equal((await s.view()).paused, true);
    assert.equal((await statusJson()).paused, true);
    // The watch reads the state once a second: resume only once it has printed the pause.
    await eventually('the watch showing the pause', 30_000, () =>
      Promise.resolve(/^Phase +Progressing \(paused/m.test(watch.stdout()) ? true : undefined),
    );
    assert.match(ok(await cli('resume', TARGET)), /^Resuming cli-test\/podinfo: the analysis continues/);
    assert.equal((await s.view()).paused, false);

    // Finish now rather than in ten more intervals.
    assert.match(ok(await cli('promote', TARGET)), /^Promoting cli-test\/podinfo: the rollout skips its remaining steps/);
    const watched = await watch.done;
    assert.equal(watched.code, 0, watched.stderr);
    assert.match(watched.stdout, /^Phase +Succeeded$/m);
    assert.equal((await s.canary()).status?.phase, 'Succeeded');
  });

  it('aborts through the CLI, and history records the failure with its reason', async () => {
    const since = await s.whenImageChanges('6.0.2');
    await s.thenWeight(10, since);
    const watch = startCli(['status', TARGET, '--watch', '--until-finished', '-o', 'json']);
    // One JSON line per change: the first says the rollout is under way.
    await eventually('the watch showing the rollout', 30_000, () =>
      Promise.resolve(watch.stdout().includes('"phase":"Progressing"') ? true : undefined),
    );
    assert.match(ok(await cli('abort', TARGET)), /^Aborting cli-test\/podinfo: the rollout rolls back/);
    const watched = await watch.done;
    assert.equal(watched.code, 1);
    // The watch ends once the Canary itself says Failed, not before.
    assert.equal((await s.canary()).status?.phase, 'Failed');
    assert.match(watched.stderr, /^perch: the rollout of cli-test\/podinfo failed/);
    assert.equal((await statusJson()).phase, 'Failed');

    const [failed, succeeded] = await eventually('two rollouts in history', 30_000, async () => {
      const h = await history();
      return h.length === 2 ? h : undefined;
    });
    assert.equal(failed?.outcome, 'Failed');
    assert.match(failed?.reason ?? '', /abort/);
    assert.equal(succeeded?.outcome, 'Succeeded');
    assert.ok((failed?.durationMs ?? -1) >= 0 && (succeeded?.durationMs ?? -1) > 0);
    const text = ok(await cli('history', TARGET));
    assert.match(text, /^STARTED +DURATION +OUTCOME +STRATEGY +REVISION +REASON$/m);
    assert.match(text.split('\n')[1] ?? '', / Failed +canary +\S+ +.*abort/);
    assert.match(text.split('\n')[2] ?? '', / Succeeded +canary +\S+ +-$/);
  });

  it('retries the failed revision through the CLI, and history shows it succeeded', async () => {
    const [failed] = await history();
    assert.equal(failed?.outcome, 'Failed');
    const since = Date.now();
    assert.match(ok(await cli('retry', TARGET)), /^Retrying cli-test\/podinfo: its current revision rolls out again/);
    await s.thenWeight(5, since);
    // The Deployment was not edited: the revision that failed is the one rolling out.
    assert.equal((await statusJson()).revision, failed?.revision);
    ok(await cli('promote', TARGET));
    await s.thenPhase('Succeeded', { timeoutMs: 60_000 });
    assert.equal(await s.primaryImage(), 'ghcr.io/stefanprodan/podinfo:6.0.2');

    const h = await eventually('three rollouts in history', 30_000, async () => {
      const all = await history();
      return all.length === 3 ? all : undefined;
    });
    assert.deepEqual(
      h.map((r) => r.outcome),
      ['Succeeded', 'Failed', 'Succeeded'],
    );
    assert.equal(h[0]?.revision, failed?.revision);
    assert.equal((await cli('history', TARGET, '--limit', '1', '-o', 'json')).stdout.match(/"runId"/g)?.length, 1);
  });
});
