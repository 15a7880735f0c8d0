// The entry points' HTTP server on a real loopback socket: the probes' status codes for each
// worker and watcher state, /metrics, and the address syntax of PERCH_HTTP_ADDRESS.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type State as WorkerState } from '@temporalio/worker';
import { httpAddressFromEnv, parseHttpAddress } from '../../src/http/address';
import { watcherProbes, workerProbes } from '../../src/http/probes';
import { type RunningHttpServer, startHttpServer } from '../../src/http/server';

async function get(server: RunningHttpServer, path: string, method = 'GET'): Promise<{ status: number; body: string; type: string | null }> {
  const res = await fetch(`http://127.0.0.1:${server.address.port}${path}`, { method });
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

const reachable = () => ({ ok: true, detail: 'Temporal reachable' });

describe('HTTP server', () => {
  const servers: RunningHttpServer[] = [];
  after(() => Promise.all(servers.map((s) => s.close())));

  it("answers the worker's probes from its state", async () => {
    let state: WorkerState | undefined;
    const server = await startHttpServer(
      { host: '127.0.0.1', port: 0 },
      workerProbes(() => state),
    );
    servers.push(server);
    const codes = async () => [(await get(server, '/healthz')).status, (await get(server, '/readyz')).status];
    assert.deepEqual(await codes(), [200, 503], 'before Worker.create has connected: alive, not ready');
    const expected: Record<WorkerState, [number, number]> = {
      INITIALIZED: [200, 503],
      RUNNING: [200, 200],
      DRAINING: [200, 503],
      DRAINED: [200, 503],
      STOPPING: [200, 503],
      STOPPED: [503, 503],
      FAILED: [503, 503],
    };
    for (const [s, want] of Object.entries(expected) as [WorkerState, [number, number]][]) {
      state = s;
      assert.deepEqual(await codes(), want, s);
    }
    state = 'FAILED';
    assert.equal((await get(server, '/healthz')).body, 'worker FAILED\n');
  });

  it("answers the watcher's readiness once its informers have synced and while Temporal answers", async () => {
    let synced = false;
    let temporal = { ok: true, detail: 'Temporal reachable' };
    const server = await startHttpServer(
      { host: '127.0.0.1', port: 0 },
      watcherProbes(
        () => synced,
        () => temporal,
      ),
    );
    servers.push(server);
    assert.equal((await get(server, '/healthz')).status, 200);
    assert.equal((await get(server, '/readyz')).status, 503);
    synced = true;
    assert.equal((await get(server, '/readyz')).status, 200);
    temporal = { ok: false, detail: 'Temporal unreachable: connection refused' };
    assert.deepEqual(await get(server, '/readyz'), {
      status: 503,
      body: 'watcher synced; Temporal unreachable: connection refused\n',
      type: 'text/plain; charset=utf-8',
    });
    assert.equal((await get(server, '/healthz')).status, 200, 'liveness stays up');
    assert.equal((await get(server, '/metrics')).status, 404, 'the watcher serves no metrics');
  });

  it('serves /metrics with its content type, and 404, 405 and 500 where due', async () => {
    let fail = false;
    const server = await startHttpServer(
      { host: '127.0.0.1', port: 0 },
      {
        ...watcherProbes(() => true, reachable),
        metrics: () =>
          fail ? Promise.reject(new Error('broken')) : Promise.resolve({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'up 1\n' }),
      },
    );
    servers.push(server);
    assert.deepEqual(await get(server, '/metrics?x=1'), { status: 200, body: 'up 1\n', type: 'text/plain; version=0.0.4; charset=utf-8' });
    assert.deepEqual(await get(server, '/metrics', 'HEAD'), { status: 200, body: '', type: 'text/plain; version=0.0.4; charset=utf-8' });
    assert.equal((await get(server, '/nothing')).status, 404);
    assert.equal((await get(server, '/metrics', 'POST')).status, 405);
    fail = true;
    assert.equal((await get(server, '/metrics')).status, 500);
    assert.equal((await get(server, '/healthz')).status, 200, 'a failed scrape leaves the server serving');
  });

  it('closes with a keep-alive connection still open', async () => {
    const server = await startHttpServer(
      { host: '127.0.0.1', port: 0 },
      watcherProbes(() => true, reachable),
    );
    await get(server, '/healthz');
    await server.close();
    await assert.rejects(fetch(`http://127.0.0.1:${server.address.port}/healthz`));
  });

  it('fails to start with a clear error when the port is taken', async () => {
    const first = await startHttpServer(
      { host: '127.0.0.1', port: 0 },
      watcherProbes(() => true, reachable),
    );
    servers.push(first);
    await assert.rejects(
      startHttpServer(
        first.address,
        watcherProbes(() => true, reachable),
      ),
      /EADDRINUSE/,
    );
  });
});

describe('PERCH_HTTP_ADDRESS', () => {
  it('reads host:port, [v6]:port and :port', () => {
    assert.deepEqual(parseHttpAddress('127.0.0.1:8080'), { host: '127.0.0.1', port: 8080 });
    assert.deepEqual(parseHttpAddress('[::1]:9090'), { host: '::1', port: 9090 });
    assert.deepEqual(parseHttpAddress(':8080'), { host: '0.0.0.0', port: 8080 });
    assert.deepEqual(parseHttpAddress('perch-worker:80'), { host: 'perch-worker', port: 80 });
  });

  it('rejects what is not host:port, naming the variable', () => {
    for (const bad of ['8080', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', 'a:b', 'http://x:80']) {
      assert.throws(() => parseHttpAddress(bad), /PERCH_HTTP_ADDRESS must be host:port/, bad);
    }
  });

  it('starts no server unless set', () => {
    assert.equal(httpAddressFromEnv({}), undefined);
    assert.equal(httpAddressFromEnv({ PERCH_HTTP_ADDRESS: ' ' }), undefined);
    assert.deepEqual(httpAddressFromEnv({ PERCH_HTTP_ADDRESS: '127.0.0.1:1234' }), { host: '127.0.0.1', port: 1234 });
  });
});
