import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderQuery, type TemplateModel } from '../../src/rollout/query-template';

const model: TemplateModel = {
  name: 'podinfo',
  namespace: 'test',
  target: 'podinfo',
  service: 'podinfo',
  ingress: 'podinfo',
  route: 'podinfo',
  interval: '1m',
  variables: { code: '5..' },
};

describe('renderQuery', () => {
  it('substitutes every name Flagger offers and collapses whitespace', () => {
    const r = renderQuery(
      `sum(rate(x{ns="{{ namespace }}", svc=~"{{ service }}-canary", code=~"{{ variables.code }}"}[{{ interval }}]))
      / {{ .target }}`,
      model,
    );
    assert.deepEqual(r, { ok: true, query: 'sum(rate(x{ns="test", svc=~"podinfo-canary", code=~"5.."}[1m])) / podinfo' });
  });

  it('fails on a missing variable or an unknown name, naming it', () => {
    assert.deepEqual(renderQuery('{{ variables.nope }}', model), { ok: false, error: 'map has no entry for key "nope" in {{ variables.nope }}' });
    const r = renderQuery('{{ pod }}', model);
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error : '', /"pod" not defined/);
  });
});
