// A chat service stand-in on 127.0.0.1: records every request (path, headers, body) and answers
// each path from a script (default 200 "ok"). `proxy` is a plain HTTP forward proxy in front of
// any loopback server, recording what it forwarded. Replies are scripted as the webhook receiver's.
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { answer, type Reply } from '../webhooks/receiver';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}


abstract class LoopbackServer {
  protected server: Server | undefined;
  protected port = 0;

  protected listen(server: Server): Promise<void> {
    this.server = server;
    return new Promise((resolve) => {
      server.listen(0, '127.0.0.1', () => {
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  url(path = ''): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}

export class ChatReceiver extends LoopbackServer {
  readonly received: Received[] = [];
  private readonly script = new Map<string, Reply>();

  on(path: string, reply: Reply): void {
    this.script.set(path, reply);
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** The one request that reached `path`; fails when there were none or several. */
  only(path: string): Received {
    const hits = this.at(path);
    if (hits.length !== 1) throw new Error(`expected one request at ${path}, got ${hits.length}`);
    return hits[0] as Received;
  }

  start(): Promise<void> {
    return this.listen(createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => { body += chunk; });
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, body });
        const reply = this.script.get(path) ?? { status: 200, body: 'ok' };
        answer(res, reply);
      });
    }));
  }
}

export class ForwardProxy extends LoopbackServer {
  /** Request lines as the proxy saw them: `POST http://127.0.0.1:1234/path`. */
  readonly forwarded: string[] = [];

  start(): Promise<void> {
    return this.listen(createServer((req, res) => {
      this.forwarded.push(`${req.method ?? ''} ${req.url ?? ''}`);
      const upstream = request(req.url ?? '', { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end('proxy: upstream failed'));
      req.pipe(upstream);
    }));
  }
}

/** A loopback port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
