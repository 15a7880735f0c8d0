// A forward HTTP proxy that stands in for cluster DNS and kube-proxy on this machine. Commands written
// for a cluster (curl http://podinfo-canary.test/token, hey ... http://envoy.projectcontour) reach it
// through http_proxy, and it resolves the in-cluster name:
//   envoy.projectcontour           -> the simulated Envoy listener, routed by the Host header
//   a root HTTPProxy's fqdn        -> the same listener, as public DNS points it at Envoy (hey -host
//                                     rewrites the proxied URL to that name)
//   a name in the external map     -> that loopback address (e.g. the real Flagger load tester)
//   <service>.<namespace>[.svc...] -> the Service's ready pods, directly (no Envoy, no Envoy stats)
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { type ClusterState } from './cluster-state';
import { send, type EnvoyListener } from './envoy';
import { podinfo } from './podinfo';

export class ClusterProxy {
  private nextPod = 0;

  constructor(
    private readonly state: ClusterState,
    private readonly envoy: EnvoyListener,
    private readonly external: ReadonlyMap<string, string>,
  ) {}

  /** Tunnels (CONNECT, as undici's fetch proxies plain http too) carry origin-form requests. */
  private readonly tunnels: Server = createServer((req, res) => {
    const tunnel = (req.socket as Socket & { perchTarget?: string }).perchTarget ?? req.headers.host ?? '';
    req.url = `http://${tunnel}${req.url ?? '/'}`;
    this.handle(req, res).catch(() => send(res, { status: 502, body: 'tunnel error\n' }));
  });

  connect(req: IncomingMessage, client: Socket): void {
    const target = req.url ?? '';
    const mapped = this.external.get(target.replace(/:\d+$/, '').toLowerCase());
    if (mapped) {
      const [hostname, port] = mapped.split(':');
      const upstream = connect(Number(port), hostname, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      return;
    }
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    (client as Socket & { perchTarget?: string }).perchTarget = target.replace(/:80$/, '');
    this.tunnels.emit('connection', client);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      return send(res, { status: 400, body: 'the cluster proxy takes absolute-form requests (http_proxy)\n' });
    }
    const path = url.pathname + url.search;
    const host = url.hostname.toLowerCase();
    const mapped = this.external.get(host);
    if (mapped) return pipe(req, res, mapped, path);
    if (this.state.virtualHosts().has(host)) return this.envoy.handle(req, res, path);
    const [service, namespace] = host.replace(/\.svc(\.cluster\.local)?$/, '').split('.');
    if (!service || !namespace) return send(res, { status: 502, body: `cannot resolve ${host}\n` });
    if (service === 'envoy' && namespace === 'projectcontour') {
      // The Host header, not the URL, selects the virtual host (hey -host app.example.com ...).
      return this.envoy.handle(req, res, path);
    }
    if (!this.state.serviceExists(namespace, service)) return send(res, { status: 502, body: `cannot resolve ${host}\n` });
    const pods = this.state.readyPods(namespace, service);
    if (pods.length === 0) return send(res, { status: 503, body: `no ready endpoints for ${host}\n` });
    send(res, await podinfo(req.method ?? 'GET', path, pods[this.nextPod++ % pods.length]!));
  }
}

function pipe(req: IncomingMessage, res: ServerResponse, target: string, path: string): void {
  const [hostname, port] = target.split(':');
  const upstream = request({ hostname, port: Number(port), path, method: req.method, headers: req.headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', (err) => send(res, { status: 502, body: `${target}: ${err.message}\n` }));
  req.pipe(upstream);
}
