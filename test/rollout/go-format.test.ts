// Go fmt parity: each expectation is what Go 1.22+ prints for the same float64 / Duration.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatGoDurationMs, formatGoFixed2, formatGoFloat } from '../../src/rollout/go-format';

describe('formatGoFloat (%v)', () => {
  const cases: Array<[number, string]> = [
    [99, '99'],
    [500, '500'],
    [99.5, '99.5'],
    [0.1, '0.1'],
    [-2.5, '-2.5'],
    [0, '0'],
    [-0, '-0'],
    [123456, '123456'],
    [999999, '999999'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [1e21, '1e+21'],
    [1e100, '1e+100'],
    [0.0001, '0.0001'],
    [0.00012, '0.00012'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [-1e6, '-1e+06'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [1 / 3, '0.3333333333333333'],
  ];
  for (const [x, want] of cases) it(`${String(x)} -> ${want}`, () => assert.equal(formatGoFloat(x), want));
});

describe('formatGoFixed2 (%.2f)', () => {
  const cases: Array<[number, string]> = [
    [69.1666, '69.17'],
    [61.39, '61.39'],
    [99, '99.00'],
    [100, '100.00'],
    [0, '0.00'],
    [-0, '-0.00'],
    // exact binary ties round half to even in Go, unlike Number.prototype.toFixed
    [0.125, '0.12'],
    [0.375, '0.38'],
    [0.625, '0.62'],
    [0.875, '0.88'],
    [69.125, '69.12'],
    [-0.125, '-0.12'],
    [2.5 / 20, '0.12'],
    // not ties in binary: both languages round the exact value
    [2.675, '2.67'],
    [1.005, '1.00'],
    [99.995, '100.00'],
    [-0.001, '-0.00'],
    [-3.14159, '-3.14'],
    [1e21, '1000000000000000000000.00'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ];
  for (const [x, want] of cases) it(`${String(x)} -> ${want}`, () => assert.equal(formatGoFixed2(x), want));
});

describe('formatGoDurationMs (time.Duration.String)', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [1, '1ms'],
    [500, '500ms'],
    [999, '999ms'],
    [1000, '1s'],
    [1200, '1.2s'],
    [1203, '1.203s'],
    [1450, '1.45s'],
    [1001, '1.001s'],
    [59999, '59.999s'],
    [60000, '1m0s'],
    [61500, '1m1.5s'],
    [3600000, '1h0m0s'],
    [3723004, '1h2m3.004s'],
    [90061000, '25h1m1s'],
    [-1500, '-1.5s'],
    [-7, '-7ms'],
    [1.9, '1ms'],
    [-0.5, '0s'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ];
  for (const [x, want] of cases) it(`${String(x)}ms -> ${want}`, () => assert.equal(formatGoDurationMs(x), want));
});
