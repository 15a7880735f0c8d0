// One small HTTP server for both entry points: liveness, readiness and (on the worker) metrics. Each
// entry point says what "alive" and "ready" mean for it; this file only speaks HTTP.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { log } from '../log';
import { type HttpAddress } from './address';

/** A probe's answer: `ok` gives 200, otherwise 503; `detail` is the body either way. */
export interface Probe {
  ok: boolean;
  detail: string;
}

export interface HttpRoutes {
  /** GET /healthz. Answering at all proves the event loop turns; the probe adds the process's own checks. */
  live: () => Probe;
  /** GET /readyz. */
  ready: () => Probe;
  /** GET /metrics; 404 when absent. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
}

export interface RunningHttpServer {
  /** The bound address (the real port when 0 was asked for). */
  readonly address: HttpAddress;
  close(): Promise<void>;
}

export async function startHttpServer(at: HttpAddress, routes: HttpRoutes): Promise<RunningHttpServer> {
  const server = createServer((req, res) => {
    handle(req, res, routes).catch((err: unknown) => {
      log('warn', 'HTTP request failed', { path: req.url ?? '', error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    });
  });
  // Probes and scrapes are short; an idle keep-alive connection must not hold a shutdown open.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  log('info', 'HTTP server listening', { address: `${bound.address}:${bound.port}` });
  return {
    address: { host: bound.address, port: bound.port },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, routes: HttpRoutes): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    return;
  }
  if (path === '/healthz' || path === '/readyz') {
    const probe = path === '/healthz' ? routes.live() : routes.ready();
    send(res, probe.ok ? 200 : 503, 'text/plain; charset=utf-8', `${probe.detail}\n`);
    return;
  }
  if (path === '/metrics' && routes.metrics) {
    const { contentType, body } = await routes.metrics();
    send(res, 200, contentType, body);
    return;
  }
  send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
