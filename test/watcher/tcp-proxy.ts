// A TCP proxy a test can cut and restore, standing between one client and one server (here the
// watcher and the stack's Temporal), so that server becomes unreachable for that client alone.
// Cutting it closes the listener and every open connection, as a partition or a stopped server
// looks to the client: connections reset, new ones refused.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { type AddressInfo } from 'node:net';

export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** `host:port` clients dial; the same across cuts. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Listens (again, on the same port after a cut). */
  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => { client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Refuses new connections and resets the open ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** `host:port` as the stack writes Temporal's address. */
export function hostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i), port: Number(address.slice(i + 1)) };
}
