// PERCH_RESYNC_PERIOD, as src/config.ts reads it for the watcher.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config';

describe('PERCH_RESYNC_PERIOD', () => {
  it('defaults to 5 minutes and reads Go durations', () => {
    assert.equal(loadConfig({}).resyncPeriodMs, 300_000);
    assert.equal(loadConfig({ PERCH_RESYNC_PERIOD: '' }).resyncPeriodMs, 300_000);
    assert.equal(loadConfig({ PERCH_RESYNC_PERIOD: '90s' }).resyncPeriodMs, 90_000);
    assert.equal(loadConfig({ PERCH_RESYNC_PERIOD: '1h30m' }).resyncPeriodMs, 5_400_000);
  });

  it('refuses what is not a duration of at least a second, naming the variable', () => {
    for (const text of ['soon', '5', '500ms', '0', '-1m']) {
      assert.throws(() => loadConfig({ PERCH_RESYNC_PERIOD: text }), /PERCH_RESYNC_PERIOD must be a duration of at least 1s/, text);
    }
  });
});
