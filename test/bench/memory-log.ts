// A preload that splits a process's memory for the bench's readers: every 5 s, each thread (the
// worker's main thread and its workflow thread alike) appends one line with its RSS, its V8 heap
// (committed and live) and its external memory to <dir>/<pid>.log. Not loaded by Perch itself:
//
//   npm run build    # the preload is loaded from dist, before the bench builds it again
//   NODE_OPTIONS="--require $PWD/dist/test/bench/memory-log.js" PERCH_MEMORY_LOG=/tmp/mem ./scripts/bench.sh ...
//
// RSS is the process's, the heaps are the thread's own (docs/performance.md, "Where the worker's
// memory per Canary goes").
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';

const dir = process.env.PERCH_MEMORY_LOG;
if (dir) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}.log`);
  const who = `${process.argv[1] ?? 'node'}${isMainThread ? '' : ` thread ${threadId}`}`;
  const mib = (bytes: number) => Math.round(bytes / 1048576);
  setInterval(() => {
    const m = process.memoryUsage();
    appendFileSync(
      file,
      `${new Date().toISOString()} ${who} rss=${mib(m.rss)} heapTotal=${mib(m.heapTotal)} heapUsed=${mib(m.heapUsed)} external=${mib(m.external)}\n`,
    );
  }, 5000).unref();
}
