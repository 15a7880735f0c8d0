// Text helpers behind every command's output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { duration, fields, measured, table, timestamp, uiLink } from '../../src/cli/format';

describe('cli formatting', () => {
  it('aligns table columns and trims trailing space', () => {
    assert.equal(
      table(
        ['A', 'LONGER'],
        [
          ['xyz', '1'],
          ['p', ''],
        ],
      ),
      'A    LONGER\nxyz  1\np',
    );
  });

  it('aligns labelled fields', () => {
    assert.equal(
      fields([
        ['Phase', 'Progressing'],
        ['Failed checks', '0'],
      ]),
      'Phase          Progressing\nFailed checks  0',
    );
  });

  it('writes durations short', () => {
    assert.equal(duration(0), '0s');
    assert.equal(duration(42_400), '42s');
    assert.equal(duration(185_000), '3m05s');
    assert.equal(duration(2 * 3600_000 + 4 * 60_000), '2h04m');
    assert.equal(duration(-1), '-');
    assert.equal(duration(NaN), '-');
  });

  it('writes times in UTC to the second', () => {
    assert.equal(timestamp('2025-03-04T05:06:07.890Z'), '2025-03-04 05:06:07Z');
    assert.equal(timestamp(undefined), '-');
    assert.equal(timestamp('soon'), '-');
  });

  it('writes measured values to at most three decimals', () => {
    assert.equal(measured(100), '100');
    assert.equal(measured(99.123456), '99.123');
    assert.equal(measured(0.5), '0.5');
    assert.equal(measured(undefined), '-');
  });

  it("links the workflow's page in the Temporal UI with the ID encoded", () => {
    assert.equal(
      uiLink('http://127.0.0.1:8233/', 'default', 'canary/test/podinfo'),
      'http://127.0.0.1:8233/namespaces/default/workflows/canary%2Ftest%2Fpodinfo',
    );
  });
});
