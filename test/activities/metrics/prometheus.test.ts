// The Prometheus provider (as the metrics provider factory makes it) against the stack's real
// Prometheus: values, Flagger's "no values found", and which failures Temporal may retry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createServer } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { metricsProviders } from '../../../src/activities/metrics';
import { stack } from '../../support/stack';

const query = async (q: string, address = stack().prometheus) => {
  const provider = metricsProviders()({ type: 'prometheus', address, headers: {}, credentials: {}, insecureSkipVerify: false });
  return { value: await provider.runQuery(q) };
};

const failure = (test: (f: ApplicationFailure) => boolean) => (err: unknown) => {
  assert.ok(err instanceof ApplicationFailure, String(err));
  assert.ok(test(err), `${err.type} nonRetryable=${err.nonRetryable}: ${err.message}`);
  return true;
};

describe('the Prometheus provider', () => {
  it('returns the value of an instant vector', async () => {
    assert.deepEqual(await query('vector(42)'), { value: 42 });
  });

  it('keeps the last sample of a multi-sample vector, as Flagger does', async () => {
    const q = `sort(
      label_replace(vector(2), "s", "b", "", "")
      or label_replace(vector(1), "s", "a", "", ""))`;
    assert.deepEqual(await query(q), { value: 2 });
  });

  it('reads a scalar result (which Flagger fails to decode)', async () => {
    assert.deepEqual(await query('scalar(vector(7))'), { value: 7 });
  });

  it('answers null for an empty result and for NaN ("no values found")', async () => {
    assert.deepEqual(await query('perch_metric_that_does_not_exist{job="nowhere"}'), { value: null });
    assert.deepEqual(await query('vector(0) / 0'), { value: null });
  });

  it('clamps +Inf so that it survives JSON and still fails a maximum', async () => {
    assert.deepEqual(await query('vector(1) / 0'), { value: Number.MAX_VALUE });
  });

  it('works with a trailing slash on the address', async () => {
    assert.deepEqual(await query('vector(1)', `${stack().prometheus}/`), { value: 1 });
  });

  it('rejects a range result with "query returned multiple values", not retryable', async () => {
    await assert.rejects(
      query('vector(1)[1m:15s]'),
      failure((f) => f.nonRetryable === true && f.type === 'InvalidQuery' && f.message === 'query returned multiple values'),
    );
  });

  it("fails a syntax error without retry, with Prometheus's own message", async () => {
    await assert.rejects(
      query('sum(rate(envoy_cluster_upstream_rq[1m]'),
      failure((f) => f.nonRetryable === true && f.type === 'InvalidQuery' && /parse error/.test(f.message)),
    );
  });

  it('fails a connection error as retryable', async () => {
    const port = await closedPort();
    await assert.rejects(
      query('vector(1)', `http://127.0.0.1:${port}`),
      failure(
        (f) =>
          !f.nonRetryable &&
          f.type === 'PrometheusUnavailable' &&
          f.message.startsWith(`request failed: GET http://127.0.0.1:${port}/api/v1/query: `) &&
          f.message.includes('ECONNREFUSED'),
      ),
    );
  });

  it('fails an HTTP error with Flagger\'s "error response" text, retryable', async () => {
    // The load tester is not Prometheus: its 404 page stands in for a misaddressed server.
    await assert.rejects(
      query('vector(1)', `${stack().loadtester}/nothing-here`),
      failure((f) => !f.nonRetryable && f.type === 'QueryFailed' && /^error response: Status 4\d\d /.test(f.message)),
    );
  });
});

/** A port nothing listens on: bound by us, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
