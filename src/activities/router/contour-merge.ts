// Folding Perch's managed routes into whatever HTTPProxy already exists. Flagger replaces the whole
// spec, dropping a user's virtualhost, TLS, websockets and header policies (#1449, #968) and
// resetting weights; here only the fields Perch owns change. Pure.
import { type HeadersPolicy, type HTTPProxy, type HTTPProxyRoute, type HTTPProxyService, type MatchCondition } from '../../api/httpproxy';
import { DEFAULT_WEIGHTS, L5D_DST_OVERRIDE, SET_COOKIE } from './contour-routes';
import { type Weights } from './traffic-router';

type Loose = Record<string, unknown>;

export interface ServiceNames {
  primary: string;
  canary: string;
}

/** A route Perch manages: it sends traffic to the primary or the canary Service. */
export function isManaged(route: HTTPProxyRoute, names: ServiceNames): boolean {
  return (route.services ?? []).some((s) => s.name === names.primary || s.name === names.canary);
}

/**
 * Flagger's GetRoutes: the first managed route's primary weight, the canary getting the rest, and
 * whether the canary is mirrored there. Undefined when there is no managed route with both Services.
 */
export function readWeights(routes: readonly HTTPProxyRoute[], names: ServiceNames): Weights | undefined {
  const r = routes.find((x) => isManaged(x, names));
  if (!r || (r.services?.length ?? 0) < 2) return undefined;
  const primary = r.services?.find((s) => s.name === names.primary)?.weight ?? 0;
  const mirrored = r.services?.some((s) => s.name === names.canary && s.mirror === true) === true;
  return { primary, canary: 100 - primary, ...(mirrored && { mirror: true }) };
}

/**
 * The live split as written (no derivation) when the first live managed route has the conditions
 * the first wanted route has; otherwise (weighted ↔ A/B, new match conditions) 100/0, as Flagger
 * starts over. A mirror stays only while `analysis.mirror` still asks for one.
 */
export function keptWeights(
  live: readonly HTTPProxyRoute[],
  firstConditions: readonly MatchCondition[] | undefined,
  names: ServiceNames,
  mirror: boolean,
): Weights {
  const first = live.find((r) => isManaged(r, names));
  if (!first || !sameConditions(first.conditions, firstConditions)) return DEFAULT_WEIGHTS;
  const service = (n: string) => first.services?.find((s) => s.name === n);
  // A mirror's weight is the share of requests copied to it, not a share of the traffic.
  const liveMirror = service(names.canary)?.mirror === true;
  const w = { primary: service(names.primary)?.weight ?? 0, canary: liveMirror ? 0 : (service(names.canary)?.weight ?? 0) };
  if (w.primary + w.canary === 0) return DEFAULT_WEIGHTS;
  return liveMirror && mirror ? { ...w, mirror: true } : w;
}

/**
 * The spec's routes with the managed ones replaced in place. A route counts as managed when it
 * targets our Services or has exactly a managed route's conditions (the route being taken over);
 * other routes are kept untouched.
 */
export function mergeRoutes(live: readonly HTTPProxyRoute[], wanted: readonly HTTPProxyRoute[], names: ServiceNames): HTTPProxyRoute[] {
  const ours = (r: HTTPProxyRoute) => isManaged(r, names) || wanted.some((w) => sameConditions(w.conditions, r.conditions));
  const liveOurs = live.filter(ours);
  const bases = pairRoutes(liveOurs, wanted);
  const merged = wanted.map((w, i) => mergeRoute(bases[i], w));
  // Everything before the first managed route is unmanaged, so `at` also indexes `others`.
  const at = Math.max(0, live.findIndex(ours));
  const others = live.filter((r) => !ours(r));
  return [...others.slice(0, at), ...merged, ...others.slice(at)];
}

/**
 * The live route each wanted route is built on: the one with the same conditions, so a user's
 * settings stay on the route they wrote them on; a new route (an A/B match route, a cookie route)
 * starts from a live managed route left over, else a copy of the first, so it serves with the same
 * settings (websockets, policies).
 */
function pairRoutes(liveOurs: readonly HTTPProxyRoute[], wanted: readonly HTTPProxyRoute[]): (HTTPProxyRoute | undefined)[] {
  const unused = [...liveOurs];
  const paired = wanted.map((m) => {
    const i = unused.findIndex((r) => sameConditions(r.conditions, m.conditions));
    return i >= 0 ? unused.splice(i, 1)[0] : undefined;
  });
  return paired.map((p) => p ?? unused.shift() ?? liveOurs[0]);
}

function mergeRoute(base: HTTPProxyRoute | undefined, want: HTTPProxyRoute): HTTPProxyRoute {
  const out: Loose = { ...(base ?? {}) };
  out.conditions = want.conditions;
  out.services = (want.services ?? []).map((s) =>
    mergeService(
      base?.services?.find((b) => b.name === s.name),
      s,
    ),
  );
  setOrDelete(out, 'timeoutPolicy', mergePolicy(base?.timeoutPolicy, want.timeoutPolicy, ['response', 'idle']));
  setOrDelete(out, 'retryPolicy', mergePolicy(base?.retryPolicy, want.retryPolicy, ['count', 'perTryTimeout', 'retryOn']));
  setOrDelete(out, 'responseHeadersPolicy', mergeHeaders(base?.responseHeadersPolicy, want.responseHeadersPolicy, SET_COOKIE));
  return out;
}

/** Our keys of a policy are ours to set or clear; keys a user added (e.g. idleConnection) stay. */
function mergePolicy(base: object | undefined, want: object | undefined, keys: readonly string[]): Loose | undefined {
  const out: Loose = { ...(base ?? {}) };
  for (const k of keys) delete out[k];
  Object.assign(out, want ?? {});
  return Object.keys(out).length > 0 ? out : undefined;
}

function mergeService(base: HTTPProxyService | undefined, want: HTTPProxyService): HTTPProxyService {
  const out: Loose = { ...(base ?? {}), name: want.name, port: want.port };
  setOrDelete(out, 'weight', want.weight);
  setOrDelete(out, 'mirror', want.mirror);
  out.requestHeadersPolicy = mergeHeaders(base?.requestHeadersPolicy, want.requestHeadersPolicy, L5D_DST_OVERRIDE);
  setOrDelete(out, 'responseHeadersPolicy', mergeHeaders(base?.responseHeadersPolicy, want.responseHeadersPolicy, SET_COOKIE));
  return out as unknown as HTTPProxyService;
}

/**
 * A header policy with the header Perch owns (`ours`: l5d-dst-override, Set-Cookie) as wanted and
 * everything else a user set kept. Undefined when nothing is left.
 */
function mergeHeaders(base: HeadersPolicy | undefined, want: HeadersPolicy | undefined, ours: string): HeadersPolicy | undefined {
  const theirs = (base?.set ?? []).filter((h) => h.name.toLowerCase() !== ours.toLowerCase());
  const set = [...(want?.set ?? []), ...theirs];
  const out: HeadersPolicy = { ...(base ?? {}), ...(set.length > 0 ? { set } : {}) };
  if (set.length === 0) delete out.set;
  return Object.keys(out).length > 0 ? out : undefined;
}

function setOrDelete(target: Loose, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** Compared canonically: the API server hands objects back with their keys sorted. */
export function sameConditions(a: readonly MatchCondition[] | undefined, b: readonly MatchCondition[] | undefined): boolean {
  return canonical(a ?? []) === canonical(b ?? []);
}

/** Everything Perch writes, compared as JSON, so an unchanged proxy costs no write. */
export function sameProxy(a: HTTPProxy, b: HTTPProxy): boolean {
  const key = (p: HTTPProxy) =>
    canonical({ spec: p.spec, labels: p.metadata.labels ?? {}, annotations: p.metadata.annotations ?? {}, owners: p.metadata.ownerReferences ?? [] });
  return key(a) === key(b);
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Loose).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : val,
  );
}
