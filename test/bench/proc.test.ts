import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuTimes, loadOf, saturatedSpans } from './proc';

describe("the machine's CPU, from /proc/stat", () => {
  it('reads the aggregate line: every tick but guest, and idle with iowait', () => {
    const stat = 'cpu  10 20 30 400 50 6 7 8 9 10\ncpu0 1 2 3 4 5 6 7 8 9 10\nintr 12345\n';
    assert.deepEqual(cpuTimes(stat), { total: 531, idle: 450 });
  });

  it('gives the mean busy fraction, the saturated seconds and the longest saturated run', () => {
    const readings = [
      { total: 0, idle: 0 },
      { total: 100, idle: 2 }, // 98 % busy
      { total: 200, idle: 4 }, // 98 %
      { total: 300, idle: 54 }, // 50 %
      { total: 400, idle: 59 }, // 95 %: saturated, just
      { total: 500, idle: 159 }, // 0 %
    ];
    assert.deepEqual(loadOf(readings, 0.25), { busyFraction: 0.682, saturatedS: 0.75, longestSaturatedS: 0.5, samples: 6 });
  });

  it('gives each saturated stretch with when it began and ended', () => {
    const readings = [
      { at: 1000, total: 0, idle: 0 },
      { at: 1250, total: 100, idle: 2 }, // 98 % busy
      { at: 1500, total: 200, idle: 4 }, // 98 %
      { at: 1750, total: 300, idle: 54 }, // 50 %
      { at: 2000, total: 400, idle: 59 }, // 95 %
      { at: 2250, total: 500, idle: 159 }, // 0 %
      { at: 2500, total: 500, idle: 159 }, // no tick counted: not saturated
    ];
    assert.deepEqual(saturatedSpans(readings), [
      [1000, 1500],
      [1750, 2000],
    ]);
  });

  it('gives zeros when no interval was measured', () => {
    assert.deepEqual(loadOf([{ total: 100, idle: 50 }], 0.25), { busyFraction: 0, saturatedS: 0, longestSaturatedS: 0, samples: 1 });
  });
});
