// A TCP forwarder on 127.0.0.1 in front of a real server, which a test can cut and restore: the
// server's outage as its clients see it (connections refused, open ones dropped), for those clients
// alone, without stopping a part of the shared stack. TLS passes through untouched.
import { connect, createServer, type Server, type Socket } from 'node:net';

export class TcpForwarder {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** `host:port` clients dial; the same across cuts. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Listens (again, on the same port once it has one). */
  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Refuses new connections and drops the open ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** `host:port` (as the stack writes its addresses) as a forwarder's target. */
export function hostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i), port: Number(address.slice(i + 1)) };
}
