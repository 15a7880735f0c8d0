// Runs a function as if inside a Temporal activity: a Context in the SDK's async-local storage,
// with recorded heartbeats and a cancel switch (what the SDK's MockActivityEnvironment offers).
import { CancelledFailure, Context, asyncLocalStorage, type Info } from '@temporalio/activity';

export interface FakeActivity<T> {
  result: Promise<T>;
  heartbeats: unknown[];
  cancel(): void;
}

export function runAsActivity<T>(fn: () => Promise<T>, info: Partial<Info> = {}): FakeActivity<T> {
  const heartbeats: unknown[] = [];
  const abort = new AbortController();
  let rejectCancelled: (err: Error) => void = () => undefined;
  const cancelled = new Promise<never>((_, reject) => {
    rejectCancelled = reject;
  });
  cancelled.catch(() => undefined);
  const quiet = {
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    log: () => undefined,
  };
  // The constructor is the SDK's own (marked internal); only the parts activities use are filled in.
  const ctx = new (Context as unknown as new (...args: unknown[]) => Context)(
    { attempt: 1, ...info },
    cancelled,
    abort.signal,
    (d: unknown) => heartbeats.push(d),
    undefined,
    quiet,
    {},
    {},
  );
  return {
    result: asyncLocalStorage.run(ctx, fn),
    heartbeats,
    cancel() {
      const failure = new CancelledFailure('CANCELLED');
      rejectCancelled(failure);
      abort.abort(failure);
    },
  };
}
