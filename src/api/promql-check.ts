// A cheap structural check of PromQL text, enough to catch the typos that otherwise surface only as
// a failed check (and a rollback) in the middle of a release: unbalanced brackets and open quotes.
// It is not a parser: a query that passes may still be rejected by Prometheus.

const OPENERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Describes the first structural problem in `query`, or returns undefined when none is found. */
export function promqlSyntaxProblem(query: string): string | undefined {
  const open = /\{\{(?![\s\S]*?\}\})/.exec(query);
  if (open) return `has an unclosed template action "{{" at character ${open.index + 1}`;
  // Template actions may hold quotes or braces of their own; blank them, keeping positions.
  const text = query.replace(/\{\{[\s\S]*?\}\}/g, (action) => 'x'.repeat(action.length));
  const stack: { ch: string; at: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '#') {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? text.length : eol;
    } else if (ch === '"' || ch === "'" || ch === '`') {
      const start = i;
      for (i++; i < text.length && text.charAt(i) !== ch; i++) {
        if (text.charAt(i) === '\\' && ch !== '`') i++;
      }
      if (i >= text.length) return `has an unterminated ${ch} string starting at character ${start + 1}`;
    } else if (ch === '(' || ch === '[' || ch === '{') {
      stack.push({ ch, at: i });
    } else if (ch in OPENERS) {
      const top = stack.pop();
      if (!top) return `has an unmatched "${ch}" at character ${i + 1}`;
      if (top.ch !== OPENERS[ch]) {
        return `has "${ch}" at character ${i + 1} closing "${top.ch}" opened at character ${top.at + 1}`;
      }
    }
  }
  const unclosed = stack.pop();
  if (unclosed) return `has an unclosed "${unclosed.ch}" opened at character ${unclosed.at + 1}`;
  return undefined;
}
