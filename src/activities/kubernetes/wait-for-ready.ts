// Waits for a Deployment or DaemonSet to become ready by watching it (no polling), heartbeating meanwhile so
// Temporal notices a dead worker and can deliver cancellation. Returns as soon as the Deployment
// is ready or can no longer become ready in time, else not-ready with the last message.
import { type Readiness } from '../../kubernetes/readiness';
import { type Workload } from '../../kubernetes/workload';
import { activityContext } from '../context';
import { type ReadinessInput, notFound, readinessOf } from './readiness';
import { type KubeTargets, resolveWorkload } from './target';
import { watchWorkload } from './workload-watch';
import { qualifiedName } from '../../rollout/names';

export async function waitForReady(deps: KubeTargets, input: ReadinessInput & { timeoutMs: number }): Promise<Readiness> {
  const { kube } = deps;
  const ctx = activityContext();
  const heartbeatTimeout = ctx?.info.heartbeatTimeoutMs ?? 0;
  // Well inside the heartbeat timeout; the time-based deadline rule is also re-checked this often.
  const tickMs = Math.max(1000, Math.min(5000, heartbeatTimeout > 0 ? heartbeatTimeout / 3 : 5000));
  const { kind } = await resolveWorkload(deps, input.namespace, input.name, input.kind);
  let latest: Workload | undefined;
  let last: Readiness = {
    ready: false,
    message: `waiting for ${kind.toLowerCase()} ${qualifiedName(input)}`,
    deadlineExceeded: false,
    available: 0,
    desired: 0,
  };

  return new Promise<Readiness>((resolve, reject) => {
    let done = false;
    const finish = (settle: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timeout);
      clearInterval(ticker);
      watch.stop();
      settle();
    };
    const observe = (w: Workload | undefined): void => {
      latest = w;
      last = w === undefined ? notFound(input.namespace, input.name, kind) : readinessOf(kind, input, w);
      if (last.ready || last.deadlineExceeded) finish(() => resolve(last));
    };
    const timeout = setTimeout(() => finish(() => resolve({ ...last, ready: false })), Math.max(0, input.timeoutMs));
    const ticker = setInterval(() => {
      ctx?.heartbeat(last.message);
      if (latest !== undefined) observe(latest);
    }, tickMs);
    const watch = watchWorkload(kube, kind, input.namespace, input.name, (w) => {
      if (!done) observe(w);
    });
    // The SDK's own cancellation failure, so Temporal records the activity as cancelled.
    ctx?.cancelled.catch((err: unknown) => finish(() => reject(err instanceof Error ? err : new Error(String(err)))));
  });
}
