import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinQuery } from '../../src/rollout/builtin-metrics';
import { evaluateMetric, type MetricCheck, type Measurement } from '../../src/rollout/verdict';
import { podinfo } from './driver';

const ctx = { canary: podinfo };
const value = (v: number | null): Measurement => ({ value: v });
const successRate: MetricCheck = { name: 'request-success-rate', source: 'builtin', thresholdRange: { min: 99 } };
const duration: MetricCheck = { name: 'request-duration', source: 'builtin', thresholdRange: { max: 500 } };

describe('evaluateMetric: request-success-rate (percent)', () => {
  it('fails below the minimum with the seed text', () => {
    const v = evaluateMetric(successRate, value(69.1666), ctx);
    assert.equal(v.ok, false);
    assert.equal(v.outcome, 'below-min');
    assert.equal(v.value, 69.1666);
    assert.equal(v.thresholdText, '>= 99%');
    assert.equal(v.level, 'warning');
    assert.equal(v.message, 'Halt podinfo.test advancement success rate 69.17% < 99%');
    assert.match(v.detail, /measured 69\.17%, below the minimum 99%/);
  });
  it('passes at the bound and above it', () => {
    for (const x of [99, 99.5, 100]) {
      const v = evaluateMetric(successRate, value(x), ctx);
      assert.equal(v.ok, true);
      assert.equal(v.outcome, 'pass');
    }
    assert.equal(evaluateMetric(successRate, value(99.5), ctx).message, 'request-success-rate 99.50% within >= 99%');
  });
  it('compares the raw value, so 98.999 prints as 99.00% < 99% like Flagger', () => {
    assert.equal(evaluateMetric(successRate, value(98.999), ctx).message, 'Halt podinfo.test advancement success rate 99.00% < 99%');
  });
  it('checks a maximum with ">"', () => {
    const v = evaluateMetric({ ...successRate, thresholdRange: { min: 90, max: 99.5 } }, value(100), ctx);
    assert.equal(v.outcome, 'above-max');
    assert.equal(v.thresholdText, '>= 90% and <= 99.5%');
    assert.equal(v.message, 'Halt podinfo.test advancement success rate 100.00% > 99.5%');
  });
  it('checks the minimum before the maximum', () => {
    const v = evaluateMetric({ ...successRate, thresholdRange: { min: 99, max: 50 } }, value(70), ctx);
    assert.equal(v.outcome, 'below-min');
  });
  it('treats the deprecated threshold as a minimum', () => {
    const check: MetricCheck = { name: 'request-success-rate', source: 'builtin', threshold: 99 };
    assert.equal(evaluateMetric(check, value(98), ctx).message, 'Halt podinfo.test advancement success rate 98.00% < 99%');
    assert.equal(evaluateMetric(check, value(99.1), ctx).ok, true);
  });
  it('prefers thresholdRange over the deprecated threshold', () => {
    const check: MetricCheck = { ...successRate, thresholdRange: { min: 50 }, threshold: 99 };
    assert.equal(evaluateMetric(check, value(60), ctx).ok, true);
  });
  it('passes without bounds, saying so', () => {
    const v = evaluateMetric({ name: 'request-success-rate', source: 'builtin' }, value(12), ctx);
    assert.equal(v.ok, true);
    assert.equal(v.thresholdText, 'none');
  });
});

describe('evaluateMetric: request-duration (milliseconds)', () => {
  it('truncates to whole ms and prints Go durations', () => {
    const v = evaluateMetric(duration, value(1203.9), ctx);
    assert.equal(v.ok, false);
    assert.equal(v.value, 1203);
    assert.equal(v.thresholdText, '<= 500ms');
    assert.equal(v.message, 'Halt podinfo.test advancement request duration 1.203s > 500ms');
    assert.match(v.detail, /measured 1\.203s \(raw 1203\.9\), above the maximum 500ms/);
    assert.equal(evaluateMetric(duration, value(1200), ctx).message, 'Halt podinfo.test advancement request duration 1.2s > 500ms');
  });
  it('passes 500.9ms against max 500: the fraction is dropped before comparing', () => {
    const v = evaluateMetric(duration, value(500.9), ctx);
    assert.equal(v.ok, true);
    assert.equal(v.value, 500);
  });
  it('truncates fractional bounds too', () => {
    const v = evaluateMetric({ ...duration, thresholdRange: { max: 500.7 } }, value(500.5), ctx);
    assert.equal(v.ok, true);
    assert.equal(
      evaluateMetric({ ...duration, thresholdRange: { max: 500.7 } }, value(501), ctx).message,
      'Halt podinfo.test advancement request duration 501ms > 500ms',
    );
  });
  it('checks a minimum with "<"', () => {
    const v = evaluateMetric({ ...duration, thresholdRange: { min: 10, max: 500 } }, value(5), ctx);
    assert.equal(v.outcome, 'below-min');
    assert.equal(v.thresholdText, '>= 10ms and <= 500ms');
    assert.equal(v.message, 'Halt podinfo.test advancement request duration 5ms < 10ms');
  });
  it('treats the deprecated threshold as a maximum in ms', () => {
    const check: MetricCheck = { name: 'request-duration', source: 'builtin', threshold: 500 };
    assert.equal(evaluateMetric(check, value(2500), ctx).message, 'Halt podinfo.test advancement request duration 2.5s > 500ms');
    assert.equal(evaluateMetric(check, value(499), ctx).ok, true);
  });
  it('an explicit deprecated threshold of 0 is a bound; an absent one is none', () => {
    assert.equal(evaluateMetric({ name: 'request-duration', source: 'builtin', threshold: 0 }, value(3), ctx).ok, false);
    assert.equal(evaluateMetric({ name: 'request-duration', source: 'builtin' }, value(3), ctx).ok, true);
  });
  it('fails an infinite p99 against a maximum (Flagger lets it pass)', () => {
    const v = evaluateMetric(duration, value(Infinity), ctx);
    assert.equal(v.ok, false);
    assert.equal(v.message, 'Halt podinfo.test advancement request duration +Inf > 500ms');
  });
  it('handles durations of minutes and hours', () => {
    assert.equal(
      evaluateMetric({ ...duration, thresholdRange: { max: 60000 } }, value(61500), ctx).message,
      'Halt podinfo.test advancement request duration 1m1.5s > 1m0s',
    );
  });
});

describe('evaluateMetric: custom metrics', () => {
  const template: MetricCheck = { name: 'error-rate', source: 'template', thresholdRange: { max: 1 } };
  it('prints value as %.2f and bound as %v', () => {
    assert.equal(evaluateMetric(template, value(2.5), ctx).message, 'Halt podinfo.test advancement error-rate 2.50 > 1');
    assert.equal(
      evaluateMetric({ ...template, thresholdRange: { min: 0.5 } }, value(0.125), ctx).message,
      'Halt podinfo.test advancement error-rate 0.12 < 0.5',
    );
    assert.equal(evaluateMetric(template, value(1), ctx).ok, true);
  });
  it('treats the deprecated threshold as a maximum', () => {
    const v = evaluateMetric({ name: 'latency', source: 'inline', threshold: 1e6 }, value(2e6), ctx);
    assert.equal(v.message, 'Halt podinfo.test advancement latency 2000000.00 > 1e+06');
  });
  it('judges a built-in name from a template as a custom metric', () => {
    assert.equal(
      evaluateMetric({ name: 'request-duration', source: 'template', thresholdRange: { max: 500 } }, value(700.25), ctx).message,
      'Halt podinfo.test advancement request-duration 700.25 > 500',
    );
  });
  it('judges an unknown name marked builtin as a custom metric', () => {
    assert.equal(
      evaluateMetric({ name: 'odd', source: 'builtin', thresholdRange: { max: 1 } }, value(2), ctx).message,
      'Halt podinfo.test advancement odd 2.00 > 1',
    );
  });
});

describe('evaluateMetric: no values found', () => {
  const query = builtinQuery('request-success-rate', { namespace: 'test', service: 'podinfo', interval: '1m' });
  it('fails the built-in success rate with Flagger text and explains why in detail', () => {
    for (const m of [value(null), value(NaN)]) {
      const v = evaluateMetric({ ...successRate, query }, m, ctx);
      assert.equal(v.ok, false);
      assert.equal(v.outcome, 'no-data');
      assert.equal(v.value, undefined);
      assert.equal(v.level, 'warning');
      assert.equal(
        v.message,
        `Halt advancement no values found for contour metric request-success-rate probably podinfo.test is not receiving traffic: running query failed: no values found; query: ${query}`,
      );
      assert.match(v.detail, /no sample or NaN/);
      assert.ok(v.detail.endsWith(`query: ${query}`));
    }
  });
  it('uses the shorter text for the duration and the configured provider name', () => {
    const v = evaluateMetric(duration, value(NaN), { canary: podinfo, provider: 'contour:service' });
    assert.equal(
      v.message,
      'Halt advancement no values found for contour:service metric request-duration probably podinfo.test is not receiving traffic',
    );
  });
  it('uses the custom-metric texts for templates and inline queries', () => {
    assert.equal(
      evaluateMetric({ name: 'error-rate', source: 'template' }, value(null), ctx).message,
      'Halt advancement no values found for custom metric: error-rate: no values found',
    );
    assert.equal(
      evaluateMetric({ name: 'error-rate', source: 'inline' }, value(NaN), ctx).message,
      'Halt advancement no values found for metric: error-rate',
    );
  });
});

describe('evaluateMetric: the noData policy', () => {
  it('fails by default and puts the rendered query in the Event text', () => {
    const v = evaluateMetric({ name: 'error-rate', source: 'template', query: 'sum(rate(x[1m]))' }, value(null), ctx);
    assert.equal(v.ok, false);
    assert.equal(v.held, undefined);
    assert.ok(v.message.endsWith('; query: sum(rate(x[1m]))'));
  });
  it('passes under noData: pass, and holds (neither ok nor a failure) under noData: hold', () => {
    const passed = evaluateMetric({ name: 'error-rate', source: 'template', noData: 'pass' }, value(NaN), ctx);
    assert.equal(passed.ok, true);
    assert.equal(passed.outcome, 'no-data');
    const held = evaluateMetric({ name: 'error-rate', source: 'template', noData: 'hold' }, value(null), ctx);
    assert.equal(held.ok, false);
    assert.equal(held.held, true);
    assert.match(held.message, /holding the step/);
  });
  it('applies only to no data: a value out of bounds still fails under noData: pass', () => {
    const v = evaluateMetric({ name: 'error-rate', source: 'template', noData: 'pass', thresholdRange: { max: 1 } }, value(5), ctx);
    assert.equal(v.ok, false);
    assert.equal(v.outcome, 'above-max');
  });
});

describe('evaluateMetric: query errors', () => {
  const err = { error: 'error response: Status 503 Service Unavailable: down' };
  it('reports each source with its Flagger text at error level', () => {
    const builtin = evaluateMetric(successRate, err, ctx);
    assert.equal(builtin.outcome, 'error');
    assert.equal(builtin.level, 'error');
    assert.equal(builtin.message, 'Prometheus query failed: running query failed: error response: Status 503 Service Unavailable: down');
    assert.equal(
      evaluateMetric({ name: 'x', source: 'inline' }, err, ctx).message,
      'Prometheus query failed for x: error response: Status 503 Service Unavailable: down',
    );
    assert.equal(
      evaluateMetric({ name: 'x', source: 'template' }, err, ctx).message,
      'Metric query failed for x: error response: Status 503 Service Unavailable: down',
    );
    assert.match(builtin.detail, /request-success-rate: query failed: error response/);
  });
});
