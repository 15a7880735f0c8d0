// The suite runner's order (test/run.ts): the longest files first, files without a figure before any.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { longestFirst } from './run';

describe('the suite runner', () => {
  it('starts the longest recorded files first, files it has no figure for before them, ties by name', () => {
    const durations = { 'b.test.js': 10, 'c.test.js': 300, 'd.test.js': 10 };
    assert.deepEqual(longestFirst(['d.test.js', 'b.test.js', 'c.test.js', 'new.test.js', 'a.test.js'], durations), [
      'a.test.js',
      'new.test.js',
      'c.test.js',
      'b.test.js',
      'd.test.js',
    ]);
  });
});
