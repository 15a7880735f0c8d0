// Renders a MetricTemplate's query the way Flagger's Go template does for the names it offers:
// {{ name }}, {{ namespace }}, {{ target }}, {{ service }}, {{ ingress }}, {{ route }},
// {{ interval }} and {{ variables.<key> }}. An unknown name or a missing variable is an error, as
// Flagger renders with missingkey=error. The result is whitespace-collapsed as Flagger sends it.
//
// Unlike Flagger, a value cannot reach beyond itself into the query: inside a PromQL string
// ("...", '...') its escapes are kept as written (a regex's \\d stays as Flagger sends it) but a bare
// quote is escaped, and a value ending in a lone backslash (which would escape the closing quote)
// is refused; inside a raw `...` string, which has no escapes, a value holding a backquote is refused; outside strings (a range [{{ interval }}], a
// number, a metric or label name) a value must be one PromQL token of letters, digits, _ . : (an
// optional leading -), else it is refused with a message naming it; in a comment anything goes. The Canary's names are
// Kubernetes names and pass; `templateVariables` are free text, so this is where they are bounded.

export interface TemplateModel {
  name: string;
  namespace: string;
  target: string;
  service: string;
  ingress: string;
  route: string;
  interval: string;
  variables: Record<string, string>;
}

export type Rendered = { ok: true; query: string } | { ok: false; error: string };

/** `[^}]*` with no nested quantifier, so a long unclosed `{{` costs linear time. */
const ACTION = /\{\{([^}]*)\}\}/g;
/** One bare PromQL token: a number, a duration, a metric or label name. */
const BARE_VALUE = /^-?[A-Za-z0-9_.:]+$/;

/** Inside a string of that quote, outside any string, or in a comment (which runs to the end once whitespace is collapsed). */
type Context = '"' | "'" | '`' | 'bare' | 'comment';

export function renderQuery(template: string, model: TemplateModel): Rendered {
  const problems: string[] = [];
  const contexts = actionContexts(template);
  let n = 0;
  const query = template.replace(ACTION, (_, inner: string) => {
    const context = contexts[n++] ?? 'bare';
    const expr = inner.replace(/^-/, '').replace(/-$/, '').trim();
    const ref = expr.replace(/^\./, '');
    let value: string | undefined;
    if (ref.startsWith('variables.')) {
      const key = ref.slice('variables.'.length);
      value = Object.hasOwn(model.variables, key) ? model.variables[key] : undefined;
      if (value === undefined) problems.push(`map has no entry for key "${key}" in {{ ${expr} }}`);
    } else {
      const field = (model as unknown as Record<string, unknown>)[ref];
      if (ref !== 'variables' && typeof field === 'string') value = field;
      else problems.push(`function "${ref}" not defined`);
    }
    if (value === undefined) return '';
    const placed = place(value, context);
    if (placed === undefined) {
      problems.push(refusal(expr, value, context));
      return '';
    }
    return placed;
  });
  if (problems.length > 0) return { ok: false, error: problems.join('; ') };
  return { ok: true, query: query.replace(/\s+/g, ' ').trim() };
}

/** The value as it may stand in `context`, or undefined when it cannot without changing the query around it. */
function place(value: string, context: Context): string | undefined {
  switch (context) {
    case '"':
    case "'":
      return inString(value, context);
    case '`':
      return value.includes('`') ? undefined : value;
    case 'comment':
      return value;
    default:
      return BARE_VALUE.test(value) ? value : undefined;
  }
}

/** The value with its bare `quote`s escaped; undefined when it ends in a backslash that escapes nothing. */
function inString(value: string, quote: string): string | undefined {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    if (ch === '\\') {
      if (i + 1 >= value.length) return undefined;
      out += ch + value.charAt(++i);
    } else {
      out += ch === quote ? `\\${ch}` : ch;
    }
  }
  return out;
}

function refusal(expr: string, value: string, context: Context): string {
  const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (context === '"' || context === "'") return `{{ ${expr} }} is ${shown}, which ends in a lone backslash that would escape the closing quote`;
  if (context === '`') return `{{ ${expr} }} is ${shown}, which holds a backquote and would end the raw string it stands in`;
  return `{{ ${expr} }} is ${shown}, which is not a single PromQL name or number; outside quotes a value may hold only letters, digits, _ . : and a leading -, so it cannot change the query around it (quote it in the template to use it as a string)`;
}

/** For each `{{ ... }}` of the template in order: the PromQL string it stands in, or bare. */
function actionContexts(template: string): Context[] {
  const contexts: Context[] = [];
  let quote: Context = 'bare';
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('{{', i)) {
      const end = template.indexOf('}}', i + 2);
      if (end !== -1 && !template.slice(i + 2, end).includes('}')) {
        contexts.push(quote);
        i = end + 2;
        continue;
      }
    }
    const ch = template.charAt(i);
    if (quote === 'bare') {
      if (ch === '"' || ch === "'" || ch === '`' || ch === '#') quote = ch === '#' ? 'comment' : ch;
    } else if (quote === 'comment') {
      // The query is sent on one line, so a comment never ends.
    } else if (ch === '\\' && quote !== '`') {
      i += 2;
      continue;
    } else if (ch === quote) {
      quote = 'bare';
    }
    i++;
  }
  return contexts;
}
