// RBAC rules as flat permissions (`group/resource:verb`, core group written as ""), so the
// ClusterRole, the table in docs/install.md and what the API server grants compare as sets.

export interface RuleLike {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
}

export const permission = (group: string, resource: string, verb: string): string => `${group === '' ? '""' : group}/${resource}:${verb}`;

/** Every (group, resource, verb) a list of rules allows, sorted; non-resource rules are skipped. */
export function expandRules(rules: readonly RuleLike[]): string[] {
  const out = new Set<string>();
  for (const r of rules) {
    for (const g of r.apiGroups ?? []) for (const res of r.resources ?? []) for (const v of r.verbs) out.add(permission(g, res, v));
  }
  return [...out].sort();
}

const BEGIN = '<!-- rbac-rules:begin -->';
const END = '<!-- rbac-rules:end -->';

/**
 * The rules of the markdown table between the rbac-rules markers: one row per group and resource,
 * each cell's values in backticks (`""` for the core group).
 */
export function documentedRules(markdown: string): RuleLike[] {
  const from = markdown.indexOf(BEGIN);
  const to = markdown.indexOf(END);
  if (from < 0 || to < from) throw new Error(`no table between ${BEGIN} and ${END}`);
  const ticked = (cell: string): string[] => [...cell.matchAll(/`([^`]*)`/g)].map((m) => (m[1] === '""' ? '' : (m[1] ?? '')));
  const rows = markdown
    .slice(from + BEGIN.length, to)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('|'));
  return rows.slice(2).map((row) => {
    const [group = '', resource = '', verbs = ''] = row.split('|').slice(1);
    const groups = ticked(group);
    const resources = ticked(resource);
    if (groups.length !== 1 || resources.length !== 1 || ticked(verbs).length === 0) throw new Error(`malformed RBAC row: ${row}`);
    return { apiGroups: groups, resources, verbs: ticked(verbs) };
  });
}

/**
 * Drops what every authenticated identity is granted by the cluster's default roles
 * (system:basic-user: self subject access and rules reviews; self subject reviews), which a
 * SelfSubjectRulesReview reports along with the identity's own rules.
 */
export function withoutDefaults(perms: readonly string[]): string[] {
  return perms.filter((p) => !/^authori[sz]ation\.k8s\.io\/selfsubject|^authentication\.k8s\.io\/selfsubject/.test(p));
}
