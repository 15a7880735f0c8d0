// Waits for a Deployment to become ready by watching it (no polling), heartbeating meanwhile so
// Temporal notices a dead worker and can deliver cancellation. Returns as soon as the Deployment
// is ready or can no longer become ready in time, else not-ready with the last message.
import type * as k8s from '@kubernetes/client-node';
import { type KubeClients } from '../../kubernetes/client';
import { type Readiness, evaluateReadiness } from '../../kubernetes/readiness';
import { activityContext } from '../context';
import { watchDeployment } from './deployment-watch';
import { type ReadinessInput, notFound, options } from './readiness';

export async function waitForReady(kube: KubeClients, input: ReadinessInput & { timeoutMs: number }): Promise<Readiness> {
  const ctx = activityContext();
  const heartbeatTimeout = ctx?.info.heartbeatTimeoutMs ?? 0;
  // Well inside the heartbeat timeout; the time-based deadline rule is also re-checked this often.
  const tickMs = Math.max(1000, Math.min(5000, heartbeatTimeout > 0 ? heartbeatTimeout / 3 : 5000));
  let latest: k8s.V1Deployment | undefined;
  let last: Readiness = { ready: false, message: `waiting for deployment ${input.name}.${input.namespace}`, deadlineExceeded: false, available: 0, desired: 0 };

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
    const observe = (d: k8s.V1Deployment | undefined): void => {
      latest = d;
      last = d === undefined ? notFound(input.namespace, input.name) : evaluateReadiness(d, input.readyThreshold, options(input));
      if (last.ready || last.deadlineExceeded) finish(() => resolve(last));
    };
    const timeout = setTimeout(() => finish(() => resolve({ ...last, ready: false })), Math.max(0, input.timeoutMs));
    const ticker = setInterval(() => {
      ctx?.heartbeat(last.message);
      if (latest !== undefined) observe(latest);
    }, tickMs);
    const watch = watchDeployment(kube, input.namespace, input.name, (d) => { if (!done) observe(d); });
    // The SDK's own cancellation failure, so Temporal records the activity as cancelled.
    ctx?.cancelled.catch((err: unknown) => finish(() => reject(err instanceof Error ? err : new Error(String(err)))));
  });
}
