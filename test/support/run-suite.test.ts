import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { longestFirst } from './run-suite';

const dist = path.resolve(__dirname, '../..');
const file = (name: string) => path.join(dist, 'test', `${name}.test.js`);

describe('the suite runner', () => {
  it('starts the longest file first, by the times kept under the source names', () => {
    const times = { 'test/a/short.test.ts': 2, 'test/z/long.test.ts': 200, 'test/m/mid.test.ts': 40 };
    assert.deepEqual(longestFirst([file('a/short'), file('m/mid'), file('z/long')], times), [file('z/long'), file('m/mid'), file('a/short')]);
  });

  it('starts a file without a known time before every other, and orders equal times by name', () => {
    const times = { 'test/b/known.test.ts': 500, 'test/c/same.test.ts': 3, 'test/a/same.test.ts': 3 };
    assert.deepEqual(longestFirst([file('c/same'), file('a/same'), file('b/known'), file('d/new')], times), [
      file('d/new'),
      file('b/known'),
      file('a/same'),
      file('c/same'),
    ]);
  });
});
