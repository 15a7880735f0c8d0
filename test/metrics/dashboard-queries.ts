// The series the Grafana dashboard queries, read from its JSON, so tests can hold them against what
// the worker actually serves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DASHBOARD_PATH = join(__dirname, '..', '..', '..', 'deploy', 'grafana', 'perch-dashboard.json');

interface Panel {
  type: string;
  title?: string;
  datasource?: { uid?: string };
  targets?: { expr?: string; datasource?: { uid?: string } }[];
}

export interface Dashboard {
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown; datasource?: { uid?: string } }[] };
}

export function loadDashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD_PATH, 'utf8')) as Dashboard;
}

/** Every PromQL expression: panel targets and query variables. */
export function dashboardExpressions(d: Dashboard = loadDashboard()): string[] {
  const fromPanels = d.panels.flatMap((p) => p.targets ?? []).flatMap((t) => (t.expr ? [t.expr] : []));
  const fromVariables = d.templating.list.flatMap((v) => {
    const q = v.query as { query?: unknown } | string | undefined;
    const text = typeof q === 'string' ? q : q?.query;
    return v.type === 'query' && typeof text === 'string' ? [text] : [];
  });
  return [...fromPanels, ...fromVariables];
}

/** The flagger_* and temporal_* series names the expressions use, sorted. */
export function dashboardSeries(d: Dashboard = loadDashboard()): string[] {
  const names = new Set<string>();
  for (const e of dashboardExpressions(d)) for (const m of e.matchAll(/\b(?:flagger|temporal)_[a-z0-9_]+/g)) names.add(m[0]);
  return [...names].sort();
}
