// Pure routing: turns HTTPProxy objects into Envoy-like virtual hosts and matches requests the way
// Contour configures Envoy to. No I/O here, so it is unit tested on its own.
import { type HTTPProxy, type HeaderMatchCondition, type HTTPProxyRoute, type MatchCondition, type RetryPolicy } from '../../src/api/httpproxy';
import { parseDurationMs } from '../../src/api/duration';

export interface Backend {
  namespace: string;
  service: string;
  port: number;
  weight: number;
}

export interface Route {
  path: { kind: 'prefix' | 'exact' | 'regex'; value: string };
  headers: HeaderMatchCondition[];
  backends: Backend[];
  responseTimeoutMs: number;
  retry: RetryPolicy | undefined;
}

export interface RequestInfo {
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

const ENVOY_DEFAULT_RESPONSE_TIMEOUT_MS = 15_000;
const MAX_INCLUDE_DEPTH = 10;

/** Virtual hosts by FQDN, from root proxies that Contour reports valid, following their includes. */
export function buildVirtualHosts(proxies: readonly HTTPProxy[]): Map<string, Route[]> {
  const byKey = new Map(proxies.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
  const hosts = new Map<string, Route[]>();
  for (const root of proxies) {
    const fqdn = root.spec.virtualhost?.fqdn;
    if (!fqdn || root.status?.currentStatus !== 'valid') continue;
    const routes: Route[] = [];
    collectRoutes(root, [], byKey, routes, 0);
    hosts.set(fqdn.toLowerCase(), sortRoutes(routes));
  }
  return hosts;
}

function collectRoutes(proxy: HTTPProxy, inherited: MatchCondition[], byKey: Map<string, HTTPProxy>, out: Route[], depth: number): void {
  if (depth > MAX_INCLUDE_DEPTH) return;
  for (const route of proxy.spec.routes ?? []) {
    out.push(toRoute(proxy.metadata.namespace, route, [...inherited, ...(route.conditions ?? [])]));
  }
  for (const inc of proxy.spec.includes ?? []) {
    const child = byKey.get(`${inc.namespace ?? proxy.metadata.namespace}/${inc.name}`);
    if (child) collectRoutes(child, [...inherited, ...(inc.conditions ?? [])], byKey, out, depth + 1);
  }
}

function toRoute(namespace: string, route: HTTPProxyRoute, conditions: MatchCondition[]): Route {
  let prefix = '';
  let exact: string | undefined;
  let regex: string | undefined;
  const headers: HeaderMatchCondition[] = [];
  for (const c of conditions) {
    // Contour joins the prefixes of an include chain, collapsing the slash between them.
    if (c.prefix !== undefined) prefix = joinPrefix(prefix, c.prefix);
    if (c.exact !== undefined) exact = joinPrefix(prefix, c.exact);
    if (c.regex !== undefined) regex = c.regex;
    if (c.header) headers.push(c.header);
  }
  const services = route.services ?? [];
  // Contour: with no weights set traffic splits evenly; once any is set, unset weights are zero.
  const anyWeight = services.some((s) => s.weight !== undefined);
  return {
    path:
      exact !== undefined
        ? { kind: 'exact', value: exact }
        : regex !== undefined
          ? { kind: 'regex', value: regex }
          : { kind: 'prefix', value: prefix === '' ? '/' : prefix },
    headers,
    backends: services.map((s) => ({
      namespace,
      service: s.name,
      port: s.port,
      weight: anyWeight ? (s.weight ?? 0) : 1,
    })),
    responseTimeoutMs: responseTimeoutMs(route.timeoutPolicy?.response),
    retry: route.retryPolicy,
  };
}

/** Contour's `infinity` disables the timeout (0 here); unset means Envoy's default of 15s. */
function responseTimeoutMs(value: string | undefined): number {
  if (value === 'infinity') return 0;
  return (value === undefined ? undefined : parseDurationMs(value)) ?? ENVOY_DEFAULT_RESPONSE_TIMEOUT_MS;
}

function joinPrefix(a: string, b: string): string {
  if (a === '' || a === '/') return b;
  if (b === '/' || b === '') return a;
  return a.replace(/\/+$/, '') + '/' + b.replace(/^\/+/, '');
}

const PATH_KIND_ORDER = { exact: 0, regex: 1, prefix: 2 } as const;

/** Contour's order: exact before regex before prefix, longer paths first, then more header conditions. */
function sortRoutes(routes: Route[]): Route[] {
  return [...routes].sort(
    (a, b) =>
      PATH_KIND_ORDER[a.path.kind] - PATH_KIND_ORDER[b.path.kind] || b.path.value.length - a.path.value.length || b.headers.length - a.headers.length,
  );
}

export function matchRoute(routes: readonly Route[], req: RequestInfo): Route | undefined {
  const path = req.path.split('?')[0] ?? '/';
  return routes.find((r) => pathMatches(r.path, path) && r.headers.every((h) => headerMatches(h, req.headers)));
}

function pathMatches(p: Route['path'], path: string): boolean {
  switch (p.kind) {
    case 'exact':
      return path === p.value;
    case 'regex':
      return new RegExp(`^(?:${p.value})$`).test(path);
    case 'prefix':
      return path.startsWith(p.value);
  }
}

/** Envoy's header matcher: a missing header matches only `notpresent`, unless treatMissingAsEmpty. */
export function headerMatches(c: HeaderMatchCondition, headers: RequestInfo['headers']): boolean {
  const raw = headers[c.name.toLowerCase()];
  const present = raw !== undefined;
  if (c.present) return present;
  if (c.notpresent) return !present;
  if (!present && !c.treatMissingAsEmpty) return false;
  let value = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  const fold = (s: string) => (c.ignoreCase ? s.toLowerCase() : s);
  value = fold(value);
  if (c.exact !== undefined) return value === fold(c.exact);
  if (c.notexact !== undefined) return value !== fold(c.notexact);
  if (c.contains !== undefined) return value.includes(fold(c.contains));
  if (c.notcontains !== undefined) return !value.includes(fold(c.notcontains));
  if (c.regex !== undefined) return new RegExp(`^(?:${c.regex})$`, c.ignoreCase ? 'i' : '').test(value);
  return present;
}

/** Envoy's weighted cluster choice; `draw` is uniform in [0, 1). Undefined when every weight is 0. */
export function pickBackend(backends: readonly Backend[], draw: number): Backend | undefined {
  const total = backends.reduce((s, b) => s + b.weight, 0);
  if (total <= 0) return undefined;
  let point = draw * total;
  for (const b of backends) {
    if (point < b.weight) return b;
    point -= b.weight;
  }
  return backends.at(-1);
}
