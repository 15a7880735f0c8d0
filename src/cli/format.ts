// Small text helpers shared by the commands' output. Pure, so the output is unit-tested.

/** Left-aligned columns separated by two spaces; the header row first. Trailing spaces trimmed. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** `label  value` lines with the values aligned. */
export function fields(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

/** 0s, 42s, 3m05s, 2h04m: short enough for a table column. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** An ISO time as `2025-01-02 03:04:05Z` (UTC, whole seconds); '-' when missing or unreadable. */
export function timestamp(iso: string | undefined): string {
  const t = iso === undefined ? NaN : Date.parse(iso);
  if (Number.isNaN(t)) return '-';
  return new Date(t)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

/** A measured value: integers as they are, others to at most three decimals. */
export function measured(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toFixed(3)));
}

/** The workflow's page in the Temporal UI. */
export function uiLink(base: string, temporalNamespace: string, workflowId: string): string {
  return `${base.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

export const DEFAULT_UI_URL = 'http://127.0.0.1:8233';
