// When Prometheus scrapes nothing, an empty answer is its own gap, not the canary's traffic. Pure:
// the answers are /api/v1/targets `activeTargets` as Prometheus writes them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scrapeStaleness } from '../../../src/activities/metrics/prometheus-staleness';

const target = (health: string, lastError = '') => ({ health, lastError, scrapeInterval: '15s', labels: { job: 'envoy' } });

describe('scrape staleness', () => {
  it('says nothing while one target is up', () => {
    assert.equal(scrapeStaleness([target('down', 'connection refused'), target('up')]), undefined);
  });

  it('says nothing without targets or without an answer (a query frontend has no targets API)', () => {
    assert.equal(scrapeStaleness([]), undefined);
    assert.equal(scrapeStaleness(undefined), undefined);
  });

  it('names targets not scraped since a restart', () => {
    assert.equal(
      scrapeStaleness([target('unknown'), target('unknown')]),
      'Prometheus has no fresh data: none of its 2 scrape target(s) is up (2 not scraped yet)',
    );
  });

  it('names failing scrapes with the last error', () => {
    assert.equal(
      scrapeStaleness([target('unknown'), target('down', 'Get "http://10.0.0.7:8002/stats/prometheus": context deadline exceeded')]),
      'Prometheus has no fresh data: none of its 2 scrape target(s) is up (1 not scraped yet, 1 down); ' +
        'last scrape error: Get "http://10.0.0.7:8002/stats/prometheus": context deadline exceeded',
    );
  });
});
