// An HTTP(S) receiver on 127.0.0.1 standing in for a webhook, chat or event endpoint: it records every
// request and answers what the test programs (status, body, delay, a hang-up), so tests assert on
// what Perch really sent. Given a key and certificate it speaks HTTPS, and counts connections, which
// also shows attempts that never got past the TLS handshake.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
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
  /** Send the status and the start of the body, then hang up. */
  hangUp?: boolean;
  /** Headers besides content-type (e.g. a redirect's Location). */
  headers?: Record<string, string>;
}

export type Responder = (req: ReceivedRequest) => Answer;

export interface Tls {
  key: string;
  cert: string;
}

export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  /** TCP connections accepted, whether or not a request followed. */
  connections = 0;
  private responder: Responder = () => ({ status: 200, body: 'OK' });
  /** Per path, the answers still to give; the last one repeats. */
  private readonly script = new Map<string, Responder[]>();
  private readonly pending = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    private readonly scheme: 'http' | 'https',
  ) {}

  /** Starts a receiver on a free loopback port; HTTPS when given a key and certificate. */
  static async start(tls?: Tls): Promise<Receiver> {
    const server = tls ? createHttpsServer(tls) : createServer();
    const receiver = new Receiver(server, tls ? 'https' : 'http');
    server.on('connection', () => {
      receiver.connections++;
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => receiver.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      this.requests.push(got);
      const queue = this.script.get(got.path);
      const next = queue && queue.length > 1 ? queue.shift() : queue?.[0];
      this.later((next ?? this.responder)(got), res);
    });
  }

  /** Plays one answer, after its delay. */
  private later(answer: Answer, res: ServerResponse): void {
    const play = () => {
      if (res.destroyed) return;
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      if (!answer.hangUp) {
        res.end(answer.body ?? '');
        return;
      }
      res.write(answer.body ?? '');
      // After the first bytes are out, so the client has begun reading the answer.
      const t = setTimeout(() => {
        this.pending.delete(t);
        res.socket?.destroy();
      }, 50);
      this.pending.add(t);
    };
    if (!answer.delayMs) return play();
    const t = setTimeout(() => {
      this.pending.delete(t);
      play();
    }, answer.delayMs);
    this.pending.add(t);
  }

  /** The receiver's URL for `path` (loopback: Perch reaches it directly, not through the cluster proxy). */
  url(path = '/'): string {
    return `${this.scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** Every request is answered `status` with `body` from now on. */
  answer(status: number, body = ''): void {
    this.responder = () => ({ status, body });
  }

  /** Every request is answered by `fn` from now on (e.g. slowly, or differently each time). */
  respondWith(fn: Responder): void {
    this.responder = fn;
  }

  /**
   * Requests to `path` are answered by these, one per request in order, the last repeating,
   * whatever the default is (a fixed answer, or a function of the request).
   */
  on(path: string, ...answers: (Responder | Answer)[]): void {
    this.script.set(
      path,
      answers.map((a) => (typeof a === 'function' ? a : () => a)),
    );
  }

  /** Requests to `path` (exact, query included), optionally only those after `since`. */
  to(path: string, since = 0): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path && r.at >= since);
  }

  /** The one request that reached `path`; fails when there were none or several. */
  only(path: string): ReceivedRequest {
    const hits = this.to(path);
    const [hit] = hits;
    if (hits.length !== 1 || hit === undefined) throw new Error(`expected one request at ${path}, got ${hits.length}`);
    return hit;
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
