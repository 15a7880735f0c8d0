import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
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

/** The query with each PromQL string literal replaced by S and its comment dropped: what a value must not change. */
function skeleton(query: string): string {
  let out = '';
  for (let i = 0; i < query.length; i++) {
    const ch = query.charAt(i);
    if (ch === '#') break;
    if (ch !== '"' && ch !== "'" && ch !== '`') {
      out += ch;
      continue;
    }
    for (i++; i < query.length && query.charAt(i) !== ch; i++) if (ch !== '`' && query.charAt(i) === '\\') i++;
    out += 'S';
  }
  return out;
}

const withVariable = (v: string): TemplateModel => ({ ...model, variables: { v } });

describe('renderQuery with hostile template variables', () => {
  const hostile = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ unit: fc.constantFrom('"', "'", '`', '\\', '}', '{', ')', ' ', '#', 'a', '\n', '|', '='), maxLength: 12 }),
    fc.constantFrom('"} or vector(1) #', '\\', 'a\\', '5..\\"', "'", '`', '1m] or up[1m', 'x) or on() vector(1'),
  );
  const templates = [
    'sum(rate(http_requests_total{code=~"{{ variables.v }}", ns="{{ namespace }}"}[{{ interval }}])) > 1',
    "sum(x{a='{{ variables.v }}'})",
    'label_replace(up, "dst", `{{ variables.v }}`, "src", "(.*)")',
    'rate(x[{{ variables.v }}]) > {{ variables.v }}',
    'x # {{ variables.v }} " not a string',
  ];

  it('a value stays inside its string or its token: the query around it is the template’s', () => {
    let tried = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.constantFrom(...templates), hostile, (template, v) => {
        tried++;
        const r = renderQuery(template, withVariable(v));
        const plain = renderQuery(template, withVariable('v'));
        assert.ok(plain.ok);
        if (!r.ok) {
          refused++;
          assert.match(r.error, /\{\{ variables\.v \}\} is /);
          return;
        }
        const collapse = (q: string) => skeleton(q).replace(/\s+/g, ' ');
        // Outside strings the only thing that may differ is the one bare token where the value stands.
        assert.equal(
          collapse(r.query).replace(/-?[A-Za-z0-9_.:]+/g, 'T'),
          collapse(plain.query).replace(/-?[A-Za-z0-9_.:]+/g, 'T'),
          `${template} with ${JSON.stringify(v)} → ${r.query}`,
        );
      }),
      { numRuns: 5000 },
    );
    console.log(`# tried ${tried} hostile template variables (${refused} refused)`);
  });

  it('escapes a quote inside a string, keeps escapes as written, refuses what would break out', () => {
    const q = (t: string, v: string) => renderQuery(t, withVariable(v));
    assert.deepEqual(q('x{a="{{ variables.v }}"}', '"} or vector(1) #'), { ok: true, query: 'x{a="\\"} or vector(1) #"}' });
    assert.deepEqual(q('x{a=~"{{ variables.v }}"}', '\\\\d+'), { ok: true, query: 'x{a=~"\\\\d+"}' });
    assert.deepEqual(q("x{a='{{ variables.v }}'}", "it's"), { ok: true, query: "x{a='it\\'s'}" });
    assert.match(
      String(q('x{a="{{ variables.v }}"}', 'a\\').ok === false && (q('x{a="{{ variables.v }}"}', 'a\\') as { error: string }).error),
      /lone backslash/,
    );
    assert.equal(q('x[{{ variables.v }}]', '1m] or up[1m').ok, false);
    assert.deepEqual(q('x[{{ variables.v }}] offset {{ variables.v }}', '5m'), { ok: true, query: 'x[5m] offset 5m' });
    assert.equal(q('label_replace(up, "d", `{{ variables.v }}`, "s", "x")', 'a`b').ok, false);
  });

  it('an unclosed action with a long run of blanks renders in linear time', () => {
    const started = Date.now();
    assert.equal(renderQuery(`{{${' '.repeat(200_000)}x`, model).ok, true);
    assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
  });
});
