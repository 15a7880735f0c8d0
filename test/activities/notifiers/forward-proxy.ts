// A plain HTTP forward proxy in front of any loopback server, recording what it forwarded, and a
// loopback port nothing listens on (the chat service stand-in is the shared Receiver,
// test/support/receiver.ts).
import { createServer, request, type Server } from 'node:http';

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

export class ForwardProxy extends LoopbackServer {
  /** Request lines as the proxy saw them: `POST http://127.0.0.1:1234/path`. */
  readonly forwarded: string[] = [];

  start(): Promise<void> {
    return this.listen(
      createServer((req, res) => {
        this.forwarded.push(`${req.method ?? ''} ${req.url ?? ''}`);
        const upstream = request(req.url ?? '', { method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('error', () => res.writeHead(502).end('proxy: upstream failed'));
        req.pipe(upstream);
      }),
    );
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
