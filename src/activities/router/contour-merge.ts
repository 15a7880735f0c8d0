// Folding Perch's managed routes into whatever HTTPProxy already exists. Flagger replaces the whole
// spec, dropping a user's virtualhost, TLS, websockets and header policies (#1449, #968) and
// resetting weights; here only the fields Perch owns change. Pure.
import {
  type HTTPProxy, type HTTPProxyRoute, type HTTPProxyService, type MatchCondition,
} from '../../api/httpproxy';
import { type ManagedRoute, DEFAULT_WEIGHTS, L5D_DST_OVERRIDE } from './contour-routes';
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
 * Flagger's GetRoutes: the first managed route's primary weight, the canary getting the rest.
 * Undefined when there is no managed route with both Services.
 */
export function readWeights(routes: readonly HTTPProxyRoute[], names: ServiceNames): Weights | undefined {
  const r = routes.find((x) => isManaged(x, names));
  if (!r || (r.services?.length ?? 0) < 2) return undefined;
  const primary = r.services?.find((s) => s.name === names.primary)?.weight ?? 0;
  return { primary, canary: 100 - primary };
}

/** The live weights as written (no derivation), when the live routes have the wanted shape. */
function liveWeights(live: readonly HTTPProxyRoute[], wanted: readonly ManagedRoute[], names: ServiceNames): Weights {
  const first = live[0];
  if (live.length !== wanted.length || !first) return DEFAULT_WEIGHTS;
  const weight = (n: string) => first.services?.find((s) => s.name === n)?.weight ?? 0;
  const w = { primary: weight(names.primary), canary: weight(names.canary) };
  return w.primary + w.canary > 0 ? w : DEFAULT_WEIGHTS;
}

/**
 * The spec's routes with the managed ones replaced in place. A route counts as managed when it
 * targets our Services or has exactly a managed route's conditions (the route being taken over);
 * other routes are kept untouched. `weights: 'keep'` keeps the live split unless the shape changes
 * (weighted ↔ A/B), which starts over at 100/0 as Flagger does.
 */
export function mergeRoutes(
  live: readonly HTTPProxyRoute[], wanted: readonly ManagedRoute[], names: ServiceNames, weights: Weights | 'keep',
): HTTPProxyRoute[] {
  const ours = (r: HTTPProxyRoute) => isManaged(r, names) || wanted.some((w) => sameConditions(w.route.conditions, r.conditions));
  const liveOurs = live.filter(ours);
  const w = weights === 'keep' ? liveWeights(liveOurs, wanted, names) : weights;
  const bases = pairRoutes(liveOurs, wanted);
  const merged = wanted.map((m, i) => mergeRoute(bases[i], m.route, m.carriesWeights ? w : DEFAULT_WEIGHTS));
  // Everything before the first managed route is unmanaged, so `at` also indexes `others`.
  const at = Math.max(0, live.findIndex(ours));
  const others = live.filter((r) => !ours(r));
  return [...others.slice(0, at), ...merged, ...others.slice(at)];
}

/**
 * The live route each wanted route is built on: the one with the same conditions, so a user's
 * settings stay on the route they wrote them on; a new route (the A/B header route) starts from a
 * copy of the first live managed route, so it serves with the same settings (websockets, policies).
 */
function pairRoutes(liveOurs: readonly HTTPProxyRoute[], wanted: readonly ManagedRoute[]): (HTTPProxyRoute | undefined)[] {
  const unused = [...liveOurs];
  const paired = wanted.map((m) => {
    const i = unused.findIndex((r) => sameConditions(r.conditions, m.route.conditions));
    return i >= 0 ? unused.splice(i, 1)[0] : undefined;
  });
  return paired.map((p) => p ?? unused.shift() ?? liveOurs[0]);
}

function mergeRoute(base: HTTPProxyRoute | undefined, want: HTTPProxyRoute, weights: Weights): HTTPProxyRoute {
  const out: Loose = { ...(base ?? {}) };
  out.conditions = want.conditions;
  const services = want.services ?? [];
  out.services = services.map((s, i) =>
    mergeService(base?.services?.find((b) => b.name === s.name), s, i === 0 ? weights.primary : weights.canary));
  setOrDelete(out, 'timeoutPolicy', mergePolicy(base?.timeoutPolicy, want.timeoutPolicy, ['response', 'idle']));
  setOrDelete(out, 'retryPolicy', mergePolicy(base?.retryPolicy, want.retryPolicy, ['count', 'perTryTimeout', 'retryOn']));
  return out;
}

/** Our keys of a policy are ours to set or clear; keys a user added (e.g. idleConnection) stay. */
function mergePolicy(base: object | undefined, want: object | undefined, keys: readonly string[]): Loose | undefined {
  const out: Loose = { ...(base ?? {}) };
  for (const k of keys) delete out[k];
  Object.assign(out, want ?? {});
  return Object.keys(out).length > 0 ? out : undefined;
}

function mergeService(base: HTTPProxyService | undefined, want: HTTPProxyService, weight: number): HTTPProxyService {
  const out: Loose = { ...(base ?? {}), name: want.name, port: want.port };
  setOrDelete(out, 'weight', weight > 0 ? weight : undefined);
  const ours = want.requestHeadersPolicy?.set ?? [];
  const theirs = (base?.requestHeadersPolicy?.set ?? []).filter((h) => h.name.toLowerCase() !== L5D_DST_OVERRIDE);
  out.requestHeadersPolicy = { ...(base?.requestHeadersPolicy ?? {}), set: [...ours, ...theirs] };
  return out as unknown as HTTPProxyService;
}

function setOrDelete(target: Loose, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

function sameConditions(a: readonly MatchCondition[] | undefined, b: readonly MatchCondition[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/** Everything Perch writes, compared as JSON, so an unchanged proxy costs no write. */
export function sameProxy(a: HTTPProxy, b: HTTPProxy): boolean {
  const key = (p: HTTPProxy) => canonical({ spec: p.spec, labels: p.metadata.labels ?? {}, annotations: p.metadata.annotations ?? {}, owners: p.metadata.ownerReferences ?? [] });
  return key(a) === key(b);
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) => (val && typeof val === 'object' && !Array.isArray(val)
    ? Object.fromEntries(Object.entries(val as Loose).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
    : val));
}
