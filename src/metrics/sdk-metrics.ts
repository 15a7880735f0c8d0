// The Temporal SDK's own metrics (task slots, poll and task latencies, activity failures) come from
// Core's Prometheus exporter, a Rust HTTP server outside Node. It listens on a loopback port only,
// and Perch's /metrics appends its text to Perch's own, so one scrape target serves both.
import { request } from 'node:http';
import { createServer } from 'node:net';
import { type MetricsExporterConfig } from '@temporalio/worker';

/** A free loopback port for Core's exporter (Core cannot report the port it picked for `:0`). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no loopback port'))));
    });
  });
}

/**
 * Core's exporter on 127.0.0.1:`port`, with Prometheus's conventions: durations in seconds with a
 * `_seconds` suffix, counters ending in `_total` (temporal_activity_execution_latency_seconds, ...).
 */
export function sdkPrometheusExporter(port: number): MetricsExporterConfig {
  return {
    prometheus: { bindAddress: `127.0.0.1:${port}`, useSecondsForDurations: true, unitSuffix: true, countersTotalSuffix: true },
  };
}

/**
 * Core's exposition text. A plain request with its own agent: an HTTP proxy configured for the
 * process (HTTP_PROXY with NODE_USE_ENV_PROXY) must not see a loopback call.
 */
export function fetchSdkMetrics(port: number, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) resolve(body);
        else reject(new Error(`HTTP ${res.statusCode ?? '?'} from the SDK's exporter`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from the SDK's exporter in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Two Prometheus text expositions as one. Their metric names do not overlap (flagger_ and process
 * series against temporal_), which is all the text format asks. An SDK failure leaves a comment,
 * which Prometheus ignores, and Perch's own series are still served.
 */
export async function combinedExposition(own: () => Promise<string>, sdk: () => Promise<string>): Promise<string> {
  const [ours, theirs] = await Promise.all([
    own(),
    sdk().then(
      (text) => ({ text }),
      (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
    ),
  ]);
  const tail = 'text' in theirs ? theirs.text : `# Temporal SDK metrics unavailable: ${theirs.error.replace(/\n/g, ' ')}\n`;
  return `${ours.endsWith('\n') || ours === '' ? ours : `${ours}\n`}${tail}`;
}
