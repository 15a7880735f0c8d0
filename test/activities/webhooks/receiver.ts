// A scripted HTTP(S) receiver on 127.0.0.1 for webhook tests: records every request and answers
// each path from a queue of replies (the last one repeats). Given a key and certificate it speaks
// HTTPS, and counts connections, which also shows attempts that never got past the handshake.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

export interface Received {
  path: string;
  contentType: string | undefined;
  body: string;
}

export interface Reply {
  status: number;
  body?: string;
  delayMs?: number;
  /** Send the status and the start of the body, then hang up. */
  hangUp?: boolean;
}

export interface Tls {
  key: string;
  cert: string;
}

export class Receiver {
  readonly received: Received[] = [];
  private readonly script = new Map<string, Reply[]>();
  /** TCP connections accepted, whether or not a request followed. */
  connections = 0;
  private server: Server | undefined;
  private port = 0;
  private scheme = 'http';

  on(path: string, ...replies: Reply[]): void {
    this.script.set(path, replies);
  }

  url(path: string): string {
    return `${this.scheme}://127.0.0.1:${this.port}${path}`;
  }

  hits(path: string): number {
    return this.received.filter((r) => r.path === path).length;
  }

  start(tls?: Tls): Promise<void> {
    const handle = (req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => { body += chunk; });
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, contentType: req.headers['content-type'], body });
        const queue = this.script.get(path) ?? [{ status: 404, body: 'no script' }];
        const reply = (queue.length > 1 ? queue.shift() : queue[0]) ?? { status: 500 };
        answer(res, reply);
      });
    };
    this.scheme = tls ? 'https' : 'http';
    this.server = tls ? createHttpsServer(tls, handle) : createServer(handle);
    this.server.on('connection', () => { this.connections++; });
    return new Promise((resolve) => {
      this.server?.listen(0, '127.0.0.1', () => {
        this.port = (this.server?.address() as { port: number }).port;
        resolve();
      });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}

/** Plays one scripted reply (shared with the chat receiver of the notifier tests). */
export function answer(res: ServerResponse, reply: Reply): void {
  setTimeout(() => {
    if (!reply.hangUp) {
      res.writeHead(reply.status).end(reply.body ?? '');
      return;
    }
    res.writeHead(reply.status).write(reply.body ?? '');
    // After the first bytes are out, so the client has begun reading the answer.
    setTimeout(() => res.socket?.destroy(), 50);
  }, reply.delayMs ?? 0);
}
