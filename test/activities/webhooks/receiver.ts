// A scripted HTTP receiver on 127.0.0.1 for webhook tests: records every request and answers
// each path from a queue of replies (the last one repeats).
import { createServer, type Server } from 'node:http';

export interface Received {
  path: string;
  contentType: string | undefined;
  body: string;
}

export interface Reply {
  status: number;
  body?: string;
  delayMs?: number;
}

export class Receiver {
  readonly received: Received[] = [];
  private readonly script = new Map<string, Reply[]>();
  private server: Server | undefined;
  private port = 0;

  on(path: string, ...replies: Reply[]): void {
    this.script.set(path, replies);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  hits(path: string): number {
    return this.received.filter((r) => r.path === path).length;
  }

  start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => { body += chunk; });
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, contentType: req.headers['content-type'], body });
        const queue = this.script.get(path) ?? [{ status: 404, body: 'no script' }];
        const reply = (queue.length > 1 ? queue.shift() : queue[0]) ?? { status: 500 };
        setTimeout(() => { res.writeHead(reply.status).end(reply.body ?? ''); }, reply.delayMs ?? 0);
      });
    });
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
