// Renders a MetricTemplate's query the way Flagger's Go template does for the names it offers:
// {{ name }}, {{ namespace }}, {{ target }}, {{ service }}, {{ ingress }}, {{ route }},
// {{ interval }} and {{ variables.<key> }}. An unknown name or a missing variable is an error, as
// Flagger renders with missingkey=error. The result is whitespace-collapsed as Flagger sends it.

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

export function renderQuery(template: string, model: TemplateModel): Rendered {
  const problems: string[] = [];
  const query = template.replace(/\{\{-?\s*([^}]*?)\s*-?\}\}/g, (_, expr: string) => {
    const ref = expr.replace(/^\./, '');
    if (ref.startsWith('variables.')) {
      const key = ref.slice('variables.'.length);
      const value = model.variables[key];
      if (value === undefined) problems.push(`map has no entry for key "${key}" in {{ ${expr} }}`);
      return value ?? '';
    }
    const value = (model as unknown as Record<string, unknown>)[ref];
    if (typeof value !== 'string') {
      problems.push(`function "${ref}" not defined`);
      return '';
    }
    return value;
  });
  if (problems.length > 0) return { ok: false, error: problems.join('; ') };
  return { ok: true, query: query.replace(/\s+/g, ' ').trim() };
}
