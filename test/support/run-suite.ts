// `npm test`: every test file of the main suite through Node's runner, a few files at a time, the
// longest first. Node's own `node --test <glob>` starts the files in the order of their names, so a
// long file whose name sorts late (test/stack/outage, test/workflows/...) starts when the others are
// nearly done, and the suite then waits for it alone. Started longest first, the slots end close
// together. The order comes from test/file-times.json (seconds per file, from a CI-like run); a file
// not in it yet is taken for a long one and goes first. Each run writes its own times to
// `$PERCH_RUN/test-times.json` (`.stack/` by default) and prints the longest; copy that file over
// test/file-times.json when the order has drifted (docs/development.md).
//
// Arguments, all optional: test files (dist/test/...test.js) to run instead of all of them.
import { globSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

/** Files run at once: most of the suite waits on intervals and servers; at five the 2 cores were mostly idle (docs/development.md). */
const FILES_AT_ONCE = 6;
const FILE_TIMEOUT_MS = 600_000;
const LONGEST_SHOWN = 10;

const root = path.resolve(__dirname, '../../..');
const dist = path.join(root, 'dist');
const knownTimesFile = path.join(root, 'test', 'file-times.json');
const runTimesFile = path.join(process.env.PERCH_RUN ?? path.join(root, '.stack'), 'test-times.json');

/** `dist/test/x/y.test.js` → `test/x/y.test.ts`, the name the times are kept under. */
function sourceName(file: string): string {
  return path.relative(dist, file).replace(/\.js$/, '.ts');
}

function readTimes(file: string): Record<string, number> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
}

/** Longest first; a file without a known time before all others, then by name. */
export function longestFirst(files: readonly string[], seconds: Readonly<Record<string, number>>): string[] {
  const time = (file: string) => seconds[sourceName(file)] ?? Infinity;
  return [...files].sort((a, b) => time(b) - time(a) || a.localeCompare(b));
}

function main(): void {
  const args = process.argv.slice(2).map((f) => path.resolve(f));
  const files = args.length > 0 ? args : globSync('test/**/*.test.js', { cwd: dist }).map((f) => path.join(dist, f));
  const ordered = longestFirst(files, readTimes(knownTimesFile));

  // Each file's wall time in its slot: from its process's start (the runner dequeues the file) to
  // its end (the file's own test completes); both events are named after the file itself.
  const startedAt = new Map<string, number>();
  const seconds = new Map<string, number>();
  const started = performance.now();
  const stream = run({
    files: ordered,
    concurrency: FILES_AT_ONCE,
    timeout: FILE_TIMEOUT_MS,
    forceExit: true,
    execArgv: ['--import', path.join(dist, 'test/support/flush-before-exit.js')],
  });
  stream.on('test:fail', () => (process.exitCode = 1));
  stream.on('test:dequeue', (data) => {
    if (data.name === data.file) startedAt.set(data.file, performance.now());
  });
  stream.on('test:complete', (data) => {
    const began = data.name === data.file ? startedAt.get(data.file) : undefined;
    if (began !== undefined) seconds.set(sourceName(data.file ?? ''), Math.round((performance.now() - began) / 100) / 10);
  });
  const report = stream.pipe(new spec());
  report.pipe(process.stdout);
  report.on('end', () => {
    const times = Object.fromEntries([...seconds].sort((a, b) => b[1] - a[1]));
    mkdirSync(path.dirname(runTimesFile), { recursive: true });
    writeFileSync(runTimesFile, JSON.stringify(times, null, 2) + '\n');
    const longest = Object.entries(times).slice(0, LONGEST_SHOWN);
    process.stdout.write(
      `\nsuite: ${ordered.length} files in ${((performance.now() - started) / 1000).toFixed(1)} s, ${FILES_AT_ONCE} at a time; ` +
        `the longest (all in ${runTimesFile}):\n` +
        longest.map(([file, s]) => `  ${s.toFixed(1).padStart(7)} s  ${file}\n`).join(''),
    );
  });
}

if (require.main === module) main();
