// The Temporal activity context when running as an activity; undefined when a test (or a script)
// calls the function directly, so the same code serves both.
import { Context } from '@temporalio/activity';

export function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/**
 * Heartbeats every `everyMs` while `work` runs, so a worker that dies mid-call is noticed within the
 * activity's heartbeat timeout, not its (long) start-to-close timeout.
 */
export async function withHeartbeat<T>(work: () => Promise<T>, everyMs = 2000): Promise<T> {
  const ctx = activityContext();
  const timer = ctx ? setInterval(() => ctx.heartbeat(), everyMs) : undefined;
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
