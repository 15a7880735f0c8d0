// The routes Perch manages in a Canary's HTTPProxy: Flagger's shape (pkg/router/contour.go), one
// weighted route, or under A/B testing match routes ahead of a default route; plus what Flagger's
// Contour router never wrote although Contour can: a mirror of the primary's traffic to the canary,
// query-parameter matches, and session affinity by cookie (the shape of Flagger's Gateway API
// router: the canary's responses set a cookie, and a cookie-match route keeps its bearers on the
// canary). Pure.
import { type HttpMatch } from '../../api/canary-analysis';
import { type CanarySettings } from '../../api/canary-settings';
import {
  type HeaderMatchCondition,
  type HTTPProxyRoute,
  type HTTPProxyService,
  type MatchCondition,
  type QueryParameterMatchCondition,
} from '../../api/httpproxy';
import { type Weights } from './traffic-router';

export const DEFAULT_WEIGHTS: Weights = { primary: 100, canary: 0 };
/** Flagger sets it so a Linkerd sidecar behind Envoy routes to the intended Service. */
export const L5D_DST_OVERRIDE = 'l5d-dst-override';
export const SET_COOKIE = 'Set-Cookie';
/** Flagger's fixed idle timeout whenever `service.timeout` is set. */
const IDLE_TIMEOUT = '5m';
/** Flagger's default `sessionAffinity.maxAge`: one day. */
export const DEFAULT_COOKIE_MAX_AGE = 86400;

/**
 * The session-affinity cookies (`name=value`) in play. `canary` while the canary has weight (its
 * responses set it; requests carrying it stay on the canary); `primary` likewise for the primary
 * when `primaryCookieName` is set; `expired` once the canary is back at 0: requests still carrying
 * that rollout's cookie go to the primary, whose response deletes it.
 */
export interface AffinityCookies {
  canary?: string;
  primary?: string;
  expired?: string;
}

/** The managed routes with the given weights; the weighted (or first match) route comes first. */
export function managedRoutes(settings: CanarySettings, weights: Weights, cookies: AffinityCookies = {}): HTTPProxyRoute[] {
  const prefix = settings.service.uriPrefix;
  // As Flagger's Contour router: any `analysis.match` makes match routes, also under the canary
  // strategy, whose weight steps then move only the matching requests.
  const matchRoutes = settings.analysis.match.map(matchConditions).filter((c) => c.length > 0);
  if (matchRoutes.length > 0) {
    return [
      ...matchRoutes.map((conditions) => route(settings, withPrefix(prefix, conditions), weights)),
      // The default route always sends everything to the primary.
      route(settings, [{ prefix }], DEFAULT_WEIGHTS),
    ];
  }
  const weighted = route(settings, [{ prefix }], weights, cookies);
  return [weighted, ...stickyRoutes(settings, cookies)];
}

/**
 * Cookie-match routes, after the weighted route in the spec: Contour orders routes with header
 * conditions ahead of those without for the same prefix, so where they sit does not matter, and
 * the weighted route stays the first managed route (the one GetRoutes reads, as in Flagger).
 */
function stickyRoutes(settings: CanarySettings, cookies: AffinityCookies): HTTPProxyRoute[] {
  const prefix = settings.service.uriPrefix;
  const sticky = (cookie: string, weights: Weights): HTTPProxyRoute => route(settings, [{ prefix, header: cookieCondition(cookie) }], weights);
  const out: HTTPProxyRoute[] = [];
  if (cookies.canary) out.push(sticky(cookies.canary, { primary: 0, canary: 100 }));
  if (cookies.primary) out.push(sticky(cookies.primary, DEFAULT_WEIGHTS));
  if (cookies.expired) {
    const r = sticky(cookies.expired, DEFAULT_WEIGHTS);
    r.responseHeadersPolicy = { set: [{ name: SET_COOKIE, value: `${cookies.expired}; Max-Age=0` }] };
    out.push(r);
  }
  return out;
}

function route(settings: CanarySettings, conditions: MatchCondition[], weights: Weights, cookies: AffinityCookies = {}): HTTPProxyRoute {
  const { service } = settings;
  const primary = backend(settings, service.primaryName, weights.primary);
  const canary = weights.mirror === true ? mirrorBackend(settings) : backend(settings, service.canaryName, weights.canary);
  if (cookies.canary) canary.responseHeadersPolicy = { set: [{ name: SET_COOKIE, value: setCookie(settings, cookies.canary, 'canary') }] };
  if (cookies.primary) primary.responseHeadersPolicy = { set: [{ name: SET_COOKIE, value: setCookie(settings, cookies.primary, 'primary') }] };
  const r: HTTPProxyRoute = { conditions, services: [primary, canary] };
  if (service.timeout) r.timeoutPolicy = { response: service.timeout, idle: IDLE_TIMEOUT };
  if (service.retries) {
    const { attempts, perTryTimeout, retryOn } = service.retries;
    // Empty fields are left out: Contour rejects `retryOn: [""]` (Flagger #1223).
    r.retryPolicy = {
      ...(attempts > 0 && { count: attempts }),
      ...(perTryTimeout && { perTryTimeout }),
      ...(retryOn.length > 0 && { retryOn: [...retryOn] }),
    };
  }
  return r;
}

function backend(settings: CanarySettings, name: string, weight: number): HTTPProxyService {
  const { namespace, service } = settings;
  const value = `${name}.${namespace}.svc.cluster.local:${service.port}`;
  return {
    name,
    port: service.port,
    // Flagger's JSON omits a zero weight (Go omitempty); Contour reads a missing weight as 0 once
    // any sibling has one.
    ...(weight > 0 && { weight }),
    requestHeadersPolicy: { set: [{ name: L5D_DST_OVERRIDE, value }] },
  };
}

/**
 * The canary as Contour's mirror of the route: it gets a copy of `mirrorWeight`% of the requests
 * (all of them when unset or 100; Contour reads a missing weight on a mirror as 100%) and its
 * answers are dropped.
 */
function mirrorBackend(settings: CanarySettings): HTTPProxyService {
  const b = backend(settings, settings.service.canaryName, 0);
  const w = settings.analysis.mirrorWeight;
  return { ...b, mirror: true, ...(w > 0 && w < 100 && { weight: w }) };
}

/** The Set-Cookie value a side's responses carry: its cookie and the Canary's cookie attributes. */
function setCookie(settings: CanarySettings, cookie: string, side: 'canary' | 'primary'): string {
  const a = settings.analysis.sessionAffinity;
  // As Flagger: the canary's cookie lives maxAge (default a day), the primary's one interval.
  const maxAge = side === 'canary' ? a?.maxAge || DEFAULT_COOKIE_MAX_AGE : Math.round(settings.analysis.intervalMs / 1000);
  const attributes = [
    `Max-Age=${maxAge}`,
    ...(a?.domain ? [`Domain=${a.domain}`] : []),
    ...(a?.path ? [`Path=${a.path}`] : []),
    ...(a?.httpOnly ? ['HttpOnly'] : []),
    ...(a?.secure ? ['Secure'] : []),
    ...(a?.sameSite ? [`SameSite=${a.sameSite}`] : []),
    ...(a?.partitioned ? ['Partitioned'] : []),
  ];
  return [cookie, ...attributes].join('; ');
}

/** Matches a Cookie header carrying exactly `name=value` among any others. */
export function cookieCondition(cookie: string): HeaderMatchCondition {
  return { name: 'Cookie', regex: `(.*;\\s*)?${escapeRegex(cookie)}(;.*)?` };
}

/** The `name=value` a Set-Cookie value sets. */
export function cookieOf(setCookieValue: string): string {
  return setCookieValue.split(';', 1)[0]?.trim() ?? '';
}

type Condition = { header: HeaderMatchCondition } | { queryParameter: QueryParameterMatchCondition };

/**
 * The path prefix rides on the first header condition, as Flagger writes it for one header; other
 * conditions get entries of their own, because Contour rejects a route with two prefixes.
 */
function withPrefix(prefix: string, conditions: Condition[]): MatchCondition[] {
  const first = conditions[0];
  if (first !== undefined && 'header' in first) return [{ prefix, ...first }, ...conditions.slice(1)];
  return [{ prefix }, ...conditions];
}

/** One match block as Contour conditions: its headers, then its query parameters. */
function matchConditions(match: HttpMatch): Condition[] {
  return [...headerConditions(match).map((header) => ({ header })), ...queryParameterConditions(match).map((queryParameter) => ({ queryParameter }))];
}

const byName = <T>([a]: [string, T], [b]: [string, T]): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One match block's headers as Contour conditions, sorted by name so the spec is stable (Flagger
 * iterates a Go map). Flagger degrades prefix and suffix to `contains`; Contour's full-match
 * `regex` expresses them exactly, and carries `regex` too, which Flagger drops.
 */
export function headerConditions(match: HttpMatch): HeaderMatchCondition[] {
  return Object.entries(match.headers ?? {})
    .sort(byName)
    .flatMap(([name, m]): HeaderMatchCondition[] => {
      if (m.exact !== undefined) return [{ name, exact: m.exact }];
      if (m.prefix !== undefined) return [{ name, regex: `${escapeRegex(m.prefix)}.*` }];
      if (m.suffix !== undefined) return [{ name, regex: `.*${escapeRegex(m.suffix)}` }];
      if (m.regex !== undefined) return [{ name, regex: m.regex }];
      return [];
    });
}

/** `match[].queryParams`, which Flagger's Contour router drops, as Contour's own conditions. */
export function queryParameterConditions(match: HttpMatch): QueryParameterMatchCondition[] {
  return Object.entries(match.queryParams ?? {})
    .sort(byName)
    .flatMap(([name, m]): QueryParameterMatchCondition[] => {
      if (m.exact) return [{ name, exact: m.exact }];
      if (m.prefix) return [{ name, prefix: m.prefix }];
      if (m.regex) return [{ name, regex: m.regex }];
      return [];
    });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
