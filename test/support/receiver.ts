// An HTTP receiver on 127.0.0.1 standing in for a webhook or chat endpoint: it records every request
// and answers what the test programs (status, body, delay), so tests assert on what Perch really sent.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { eventually } from './stack';

export interface ReceivedRequest {
  method: string;
  /** Path and query, e.g. "/hooks/pre". */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** When the request arrived (ms since the epoch). */
  at: number;
}

export interface Answer {
  status: number;
  body?: string;
  /** Wait this long before answering (to provoke a caller's timeout). */
  delayMs?: number;
  /** Never answer: the connection stays open until the receiver closes. */
  hang?: boolean;
  /** Headers besides content-type (e.g. a redirect's location). */
  headers?: Record<string, string>;
}

export type Responder = (req: ReceivedRequest) => Answer;

export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private responder: Responder = () => ({ status: 200, body: 'OK' });
  private readonly byPath = new Map<string, Responder>();
  private readonly pending = new Set<NodeJS.Timeout>();

  private constructor(private readonly server: Server) {}

  /** Starts a receiver on a free loopback port. */
  static async start(): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const got: ReceivedRequest = {
          method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'), at: Date.now(),
        };
        receiver.requests.push(got);
        const answer = (receiver.byPath.get(got.path) ?? receiver.responder)(got);
        const reply = () => {
          if (res.destroyed) return;
          res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
          res.end(answer.body ?? '');
        };
        if (answer.hang) return;
        if (!answer.delayMs) return reply();
        const t = setTimeout(() => { receiver.pending.delete(t); reply(); }, answer.delayMs);
        receiver.pending.add(t);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** The receiver's URL for `path` (loopback: Perch reaches it directly, not through the cluster proxy). */
  url(path = '/'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** Every request is answered `status` with `body` from now on. */
  answer(status: number, body = ''): void {
    this.responder = () => ({ status, body });
  }

  /** Every request is answered by `fn` from now on (e.g. slowly, or differently each time). */
  respondWith(fn: Responder): void {
    this.responder = fn;
  }

  /** Requests to `path` are answered by `fn` (or with a fixed answer), whatever the default is. */
  on(path: string, fn: Responder | Answer): void {
    this.byPath.set(path, typeof fn === 'function' ? fn : () => fn);
  }

  /** Requests to `path` (exact, query included), optionally only those after `since`. */
  to(path: string, since = 0): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path && r.at >= since);
  }

  /** The JSON bodies of the requests to `path`, in arrival order. */
  bodies<T = Record<string, unknown>>(path: string, since = 0): T[] {
    return this.to(path, since).map((r) => JSON.parse(r.body) as T);
  }

  /**
   * Waits until a request to `path` satisfying `match` (on its parsed JSON body) has arrived, at
   * or after `since` when given: a test sharing the receiver must not take an earlier test's call.
   */
  waitFor<T = Record<string, unknown>>(what: string, path: string, match: (body: T) => boolean, timeoutMs = 120_000, since = 0): Promise<T> {
    return eventually(what, timeoutMs, () => Promise.resolve(this.bodies<T>(path, since).find(match)));
  }

  async close(): Promise<void> {
    for (const t of this.pending) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
