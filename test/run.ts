// The suite's runner (`npm test`): node's test runner over the given globs, the longest files first.
// Most of the suite's time is a few dozen files that each drive rollouts on the stack for one to
// four minutes, so the order decides how the run ends: in name order, the time-skipping files
// (test/workflows) start last and end the run minutes after the rest. Each run records how long
// every file took into the cache (`$PERCH_CACHE/test-durations.json`); the next run starts the
// longest first. Files it has no figure for go first, as if long; a fresh machine runs them in
// name order. Usage: node dist/test/run.js [--concurrency N] <glob>...
import { existsSync, globSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

/**
 * Files at once. At 5 the suite already keeps 2 cores busy (the stack's own processes take half a
 * core); 7 made it slower, each file's share of CPU shrinking faster than files were added, and
 * pushed timing-sensitive files (Node's start, workflow tasks) past their bounds.
 */
const DEFAULT_CONCURRENCY = 5;
/** Each test's bound (as --test-timeout): the longest stack test takes about four minutes on a loaded machine. */
const TEST_TIMEOUT_MS = 600_000;

type Durations = Record<string, number>;

function durationsPath(): string {
  return join(process.env.PERCH_CACHE ?? join(homedir(), '.cache', 'perch'), 'test-durations.json');
}

function readDurations(path: string): Durations {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Durations;
  } catch {
    return {};
  }
}

/** Longest first; a file without a figure counts as longer than any, then name order. */
export function longestFirst(files: string[], durations: Durations): string[] {
  const known = (f: string) => durations[f] ?? Number.POSITIVE_INFINITY;
  return [...files].sort((a, b) => known(b) - known(a) || a.localeCompare(b));
}

function parseArgs(argv: string[]): { concurrency: number; patterns: string[] } {
  const at = argv.indexOf('--concurrency');
  const concurrency = at >= 0 ? Number(argv[at + 1]) : DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`--concurrency needs a whole number above 0, not ${argv[at + 1]}`);
  const patterns = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 2)] : argv;
  if (patterns.length === 0) throw new Error('usage: run.js [--concurrency N] <glob>...');
  return { concurrency, patterns };
}

function main(): void {
  const { concurrency, patterns } = parseArgs(process.argv.slice(2));
  const files = [...new Set(patterns.flatMap((p) => globSync(p)))];
  const path = durationsPath();
  const durations = readDurations(path);
  const taken: Durations = {};
  // Keyed by the path from the checkout, so that a fresh clone elsewhere reads the same figures.
  const took = (t: { nesting: number; file?: string; details: { duration_ms: number } }) => {
    if (t.nesting > 0 || t.file === undefined) return;
    const key = relative(process.cwd(), t.file);
    taken[key] = (taken[key] ?? 0) + t.details.duration_ms;
  };
  const ordered = longestFirst(files, durations).map((f) => resolve(f));
  const stream = run({ files: ordered, concurrency, timeout: TEST_TIMEOUT_MS, forceExit: true });
  stream.on('test:pass', took);
  stream.on('test:fail', took);
  stream.on('test:summary', (s) => {
    if (s.file !== undefined) return;
    if (!s.success) process.exitCode = 1;
    mkdirSync(dirname(path), { recursive: true });
    const kept = Object.entries({ ...durations, ...taken }).filter(([file]) => existsSync(file));
    writeFileSync(path, JSON.stringify(Object.fromEntries(kept), null, 1));
  });
  stream.compose(spec).pipe(process.stdout);
}

if (require.main === module) main();
