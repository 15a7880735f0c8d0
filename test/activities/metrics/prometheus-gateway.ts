// Prometheus behind an HTTPS gateway that wants a tenant header, as Thanos, Mimir or a hosted
// Prometheus put it in front: a self-signed certificate for 127.0.0.1, a 401 without the header,
// and every request passed on to the stack's real Prometheus, whose answer comes back unchanged.
import { createServer, type Server } from 'node:https';
import { selfSignedLoopbackCert } from '../webhooks/self-signed';

export const TENANT_HEADER = 'X-Scope-OrgID';

export class PrometheusGateway {
  private server: Server | undefined;
  private port = 0;
  /** The Authorization header of every request, in order. */
  readonly authorizations: (string | undefined)[] = [];

  constructor(
    private readonly prometheus: string,
    private readonly tenant: string,
  ) {}

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer(selfSignedLoopbackCert(), (req, res) => {
      this.authorizations.push(req.headers.authorization);
      if (req.headers[TENANT_HEADER.toLowerCase()] !== this.tenant) {
        res.writeHead(401).end(`no ${TENANT_HEADER}: ${this.tenant}`);
        return;
      }
      fetch(`${this.prometheus}${req.url ?? '/'}`).then(
        async (answer) => {
          res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' }).end(await answer.text());
        },
        (err: unknown) => res.writeHead(502).end(String(err)),
      );
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as { port: number }).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}
