// Counterexamples the hostile-input properties (hostile.property.test.ts) found, kept as plain tests:
// each crashed validation or was accepted with a value Perch could not run on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Canary, type CanarySpec } from '../../src/api/canary';
import { parseDurationMs } from '../../src/api/duration';
import { crossNamespaceRefs, validateCanary, validateMetricTemplate } from '../../src/api/validation';
import { validCanary } from './hostile/specs';

/** The valid base Canary with one edit; `s.analysis.metrics![0]!` style paths are known to exist in it. */
const canary = (edit: (spec: CanarySpec) => void): Canary => {
  const c = validCanary('podinfo', 'test') as unknown as Canary;
  edit(c.spec);
  return c;
};

describe('hostile specs found by the properties', () => {
  it('a list field of another type is named instead of crashing validation', () => {
    const c = canary((s) => (s.analysis.metrics = 'abc' as never));
    assert.deepEqual(validateCanary(c), ['spec.analysis.metrics must be a list, got "abc"']);
    assert.deepEqual(crossNamespaceRefs(c), []);
  });

  it('a MetricTemplate query that is not a string is named instead of crashing validation', () => {
    const t = { metadata: { name: 'x', namespace: 'ns' }, spec: { query: { type: 'prometheus', address: 7 } } };
    assert.deepEqual(validateMetricTemplate(t as never), ['spec.query must be a string, got an object']);
  });

  it('a duration longer than Go can hold is not a duration', () => {
    assert.equal(parseDurationMs('99999999999999999999h'), undefined);
    assert.equal(parseDurationMs('2562047h'), 2562047 * 3_600_000);
    assert.match(
      validateCanary(canary((s) => (s.analysis.interval = '99999999999999999999h'))).join(),
      /spec\.analysis\.interval "9+h" is not a duration/,
    );
  });

  it('fractional and out-of-int32 counts are refused, naming the field', () => {
    assert.match(validateCanary(canary((s) => (s.analysis.threshold = 2.5))).join(), /spec\.analysis\.threshold must be a whole number/);
    assert.match(
      validateCanary(canary((s) => (s.progressDeadlineSeconds = 1e300))).join(),
      /spec\.progressDeadlineSeconds must be a whole, positive number/,
    );
    assert.match(
      validateCanary(canary((s) => (s.analysis.webhooks![0]!.retries = 0.5))).join(),
      /spec\.analysis\.webhooks\[0\]\.retries must be a whole number/,
    );
  });

  it('names that Kubernetes would refuse for the primary or the Services are refused up front', () => {
    assert.match(validateCanary(canary((s) => (s.service!.name = 'Pod Info'))).join(), /spec\.service\.name "Pod Info" cannot name the Services/);
    assert.match(
      validateCanary(canary((s) => (s.targetRef.name = 'ünïcode'))).join(),
      /spec\.targetRef\.name "ünïcode" is not a Kubernetes workload name/,
    );
    assert.match(
      validateCanary(canary((s) => (s.targetRef.name = 'my.app'))).join(),
      /spec\.targetRef\.name "my\.app" cannot name the Services \(spec\.service\.name is unset\)/,
    );
    assert.deepEqual(validateCanary(canary((s) => ((s.targetRef.name = 'my.app'), (s.service!.name = 'my-app')))), []);
  });

  it('a huge value is cut in the message that echoes it', () => {
    const [problem] = validateCanary(canary((s) => (s.analysis.webhooks![0]!.url = `ftp://${'x'.repeat(100_000)}`)));
    assert.ok(problem !== undefined && problem.length < 200, problem?.slice(0, 300));
  });
});
