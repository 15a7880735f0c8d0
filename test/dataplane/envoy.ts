// The Envoy listener as Contour would configure it: virtual host by Host header, first matching
// route, weighted cluster choice, response timeout and retry policy, upstream stats per attempt.
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type ClusterState } from './cluster-state';
import { EnvoyStats } from './envoy-stats';
import { podinfo, type PodinfoReply } from './podinfo';
import { matchRoute, pickBackend, type Route } from './routing';
import { parseDurationMs } from '../../src/api/duration';

export class EnvoyListener {
  private nextPod = 0;

  constructor(
    private readonly state: ClusterState,
    readonly stats: EnvoyStats,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const routes = this.state.virtualHosts().get(host);
    const route = routes && matchRoute(routes, { path, headers: req.headers });
    const backend = route && pickBackend(route.backends, Math.random());
    if (!route || !backend) return send(res, { status: 404, body: '' });
    const cluster = EnvoyStats.clusterName(backend.namespace, backend.service, backend.port);
    send(res, await this.forward(route, backend.namespace, backend.service, cluster, req.method ?? 'GET', path));
  }

  private async forward(route: Route, ns: string, svc: string, cluster: string, method: string, path: string): Promise<PodinfoReply> {
    const policy = route.retry;
    const retries = policy ? Math.max(policy.count ?? 1, 0) : 0;
    const retryOn = policy?.retryOn?.length ? policy.retryOn : ['5xx'];
    const perTryMs = (policy?.perTryTimeout && parseDurationMs(policy.perTryTimeout)) || route.responseTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      const pods = this.state.readyPods(ns, svc);
      // Envoy answers 503 itself when a cluster has no healthy hosts; no upstream request is made.
      if (pods.length === 0) return { status: 503, body: 'no healthy upstream' };
      const pod = pods[this.nextPod++ % pods.length]!;
      const started = performance.now();
      const reply = await withTimeout(perTryMs, (signal) => podinfo(method, path, pod, signal));
      this.stats.record(cluster, reply.status, performance.now() - started);
      if (attempt >= retries || !retriable(reply.status, retryOn, policy?.retriableStatusCodes)) return reply;
    }
  }
}

function retriable(status: number, retryOn: string[], codes: number[] | undefined): boolean {
  return retryOn.some(
    (on) =>
      (on === '5xx' && status >= 500) ||
      (on === 'gateway-error' && [502, 503, 504].includes(status)) ||
      (on === 'retriable-4xx' && status === 409) ||
      (on === 'retriable-status-codes' && (codes ?? []).includes(status)),
  );
}

/** Envoy answers 504 "upstream request timeout" when an attempt outlives its timeout (0 = none). */
async function withTimeout(ms: number, run: (signal: AbortSignal) => Promise<PodinfoReply>): Promise<PodinfoReply> {
  if (ms <= 0) return run(new AbortController().signal);
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<PodinfoReply>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve({ status: 504, body: 'upstream request timeout' });
    }, ms);
  });
  try {
    return await Promise.race([run(abort.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function send(res: ServerResponse, reply: PodinfoReply): void {
  res.writeHead(reply.status, { 'content-type': 'application/json', server: 'envoy' });
  res.end(reply.body);
}
