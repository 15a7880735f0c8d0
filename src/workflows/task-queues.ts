// The task queues of one installation, derived from the one it is configured with (PERCH_TASK_QUEUE):
// the workflow and its short calls poll that queue, the long calls (activities.ts `long()`) one
// of their own, so the worker can bound them without bounding the rest. Pure: workflow code uses it.

/** The queue of the long calls for the installation whose workflows run on `taskQueue`. */
export function longCallsQueue(taskQueue: string): string {
  return `${taskQueue}-long-calls`;
}
