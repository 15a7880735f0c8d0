// One scrape for both sources: Perch's registry followed by the text of the Temporal SDK's exporter,
// fetched from a real loopback HTTP server standing in for Core's. The real exporter is scraped
// in worker-metrics.test.ts.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CanaryMetrics } from '../../src/metrics/canary-metrics';
import { combinedExposition, fetchSdkMetrics, freeLoopbackPort } from '../../src/metrics/sdk-metrics';
import { find, parseExposition, valueOf } from './exposition';

const CORE_TEXT =
  '# HELP temporal_worker_start_total Worker starts\n# TYPE temporal_worker_start_total counter\n' +
  'temporal_worker_start_total{namespace="default",task_queue="perch"} 1\n';

describe('combined exposition', () => {
  let core: Server;
  let port: number;
  let status = 200;

  before(async () => {
    core = createServer((req, res) => {
      res.writeHead(req.url === '/metrics' ? status : 404, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(CORE_TEXT);
    });
    await new Promise<void>((resolve) => core.listen(0, '127.0.0.1', resolve));
    port = (core.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => core.close(() => resolve())));

  it("appends the SDK exporter's series to Perch's own", async () => {
    const m = new CanaryMetrics();
    m.setInfo('0.1.0', 'contour');
    const text = await combinedExposition(
      () => m.exposition(),
      () => fetchSdkMetrics(port),
    );
    const samples = parseExposition(text);
    assert.equal(valueOf(samples, 'flagger_info'), 1);
    assert.equal(valueOf(samples, 'temporal_worker_start_total', { task_queue: 'perch' }), 1);
    assert.equal(text.match(/^# TYPE temporal_worker_start_total /gm)?.length, 1, 'each family declared once');
  });

  it("serves Perch's series with a comment when the exporter fails or is not there", async () => {
    const m = new CanaryMetrics();
    m.setInfo('0.1.0', 'contour');
    status = 500;
    let text = await combinedExposition(
      () => m.exposition(),
      () => fetchSdkMetrics(port),
    );
    assert.match(text, /^# Temporal SDK metrics unavailable: HTTP 500/m);
    assert.equal(valueOf(parseExposition(text), 'flagger_info'), 1);
    assert.deepEqual(find(parseExposition(text), 'temporal_worker_start_total'), []);
    status = 200;
    const nobody = await freeLoopbackPort();
    text = await combinedExposition(
      () => m.exposition(),
      () => fetchSdkMetrics(nobody),
    );
    assert.match(text, /^# Temporal SDK metrics unavailable: .*ECONNREFUSED/m);
  });

  it('joins a text without a final newline correctly', async () => {
    const text = await combinedExposition(
      () => Promise.resolve('a 1'),
      () => Promise.resolve('b 2\n'),
    );
    assert.deepEqual(
      parseExposition(text).map((s) => s.name),
      ['a', 'b'],
    );
  });
});
