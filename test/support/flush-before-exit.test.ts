// The test scripts' exit preload (flush-before-exit.ts), without servers: a run of many small files at
// once with --test-force-exit must report every test, and a failure in a file's last test by name.
// Without the preload Node's runner lost between 32 and 146 of these 2,001 results in each of 13
// runs on the 2-core machine (and, twice, its summary); the count without it is printed, not judged.
// The report goes to a file: written to a pipe whose reader is slow, the runner's own tail (the last
// results and the summary) can be lost as it exits, which no preload reaches (5 of 15 runs on the
// loaded 2-core machine through a pipe, 0 of 15 to a file); that is the runner's, not the files'.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const FILES = 10;
const TESTS = 200;
const preload = join(__dirname, 'flush-before-exit.js');

interface Run {
  reported: number | undefined;
  output: string;
  failed: boolean;
}

async function runner(dir: string, name: string, args: string[]): Promise<Run> {
  // The run is a test run of its own, not part of this file's: the marker of a test file's process goes.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const report = join(dir, `${name}.report`);
  const failed = await promisify(execFile)(
    process.execPath,
    [
      ...args,
      '--test',
      '--test-force-exit',
      '--test-concurrency=5',
      '--test-reporter=spec',
      `--test-reporter-destination=${report}`,
      join(dir, '*.test.mjs'),
    ],
    { env },
  ).then(
    () => false,
    () => true,
  );
  const output = await readFile(report, 'utf8');
  const reported = /^ℹ tests (\d+)$/m.exec(output)?.[1];
  return { output, failed, reported: reported === undefined ? undefined : Number(reported) };
}

describe('the exit preload of the test scripts', () => {
  let dir = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'perch-force-exit-'));
    const long = 'x'.repeat(300);
    for (let f = 0; f < FILES; f += 1) {
      const lines = ["import { test } from 'node:test';", 'setInterval(() => {}, 100_000); // a handle only --test-force-exit ends'];
      for (let t = 0; t < TESTS; t += 1) lines.push(`test('file ${f} test ${t} ${long}', () => {});`);
      if (f === FILES - 1) lines.push("test('the last test fails', () => { throw new Error('the last failure'); });");
      await writeFile(join(dir, `f${f}.test.mjs`), `${lines.join('\n')}\n`);
    }
  });

  after(() => rm(dir, { recursive: true, force: true }));

  it('reports every result of files ended by --test-force-exit, the last failure by name', async () => {
    const without = await runner(dir, 'without', []);
    console.log(`without the preload: ${without.reported ?? 'no summary'} of ${FILES * TESTS + 1} reported`);
    const withIt = await runner(dir, 'with', ['--import', preload]);
    assert.equal(withIt.reported, FILES * TESTS + 1, `every test reported; the report ends:\n${withIt.output.slice(-600)}`);
    assert.ok(withIt.failed, 'the run fails');
    assert.match(withIt.output, /the last test fails/);
    assert.match(withIt.output, /the last failure/);
  });
});
