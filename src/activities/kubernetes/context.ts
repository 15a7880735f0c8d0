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
