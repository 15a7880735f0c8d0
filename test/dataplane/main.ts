// The data-plane simulator: test infrastructure standing in for Envoy, which cannot run here.
// Listens on three loopback addresses given by the environment (see scripts/stack/services.sh).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Socket } from 'node:net';
import * as k8s from '@kubernetes/client-node';
import { ClusterProxy } from './cluster-proxy';
import { ClusterState } from './cluster-state';
import { EnvoyListener, send } from './envoy';
import { EnvoyStats } from './envoy-stats';

function address(name: string): { host: string; port: number } {
  const value = process.env[name];
  const m = value ? /^([\d.]+):(\d+)$/.exec(value) : null;
  if (!m) throw new Error(`${name} must be host:port, got ${value ?? '(unset)'}`);
  return { host: m[1]!, port: Number(m[2]) };
}

function serve(name: string, handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void): Server {
  const { host, port } = address(name);
  return createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      console.error(`${name}: ${String(err)}`);
      if (!res.headersSent) send(res, { status: 500, body: 'simulator error\n' });
    });
  }).listen(port, host);
}

async function main(): Promise<void> {
  const kc = new k8s.KubeConfig();
  kc.loadFromDefault();
  const state = new ClusterState(kc);
  const envoy = new EnvoyListener(state, new EnvoyStats());
  const external = new Map(
    (process.env.DATAPLANE_EXTERNAL ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split('=') as [string, string]),
  );
  const proxy = new ClusterProxy(state, envoy, external);
  let ready = false;

  serve('DATAPLANE_LISTENER', (req, res) => envoy.handle(req, res, req.url ?? '/'));
  serve('DATAPLANE_PROXY', (req, res) => proxy.handle(req, res)).on('connect', (req: IncomingMessage, socket: Socket) => proxy.connect(req, socket));
  serve('DATAPLANE_STATS', (req, res) => {
    if (req.url === '/stats/prometheus') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      return void res.end(envoy.stats.render());
    }
    if (req.url === '/ready') return send(res, { status: ready ? 200 : 503, body: ready ? 'LIVE\n' : 'starting\n' });
    send(res, { status: 404, body: '' });
  });
  await state.start();
  ready = true;
  console.log(JSON.stringify({ msg: 'data-plane simulator ready' }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
