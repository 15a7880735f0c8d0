// The routes Perch manages in a Canary's HTTPProxy, in Flagger's shape (pkg/router/contour.go):
// one weighted route, or under A/B testing header-match routes ahead of a default route. Pure.
import { type HttpMatch } from '../../api/canary-analysis';
import { type CanarySettings } from '../../api/canary-settings';
import {
  type HeaderMatchCondition, type HTTPProxyRoute, type HTTPProxyService, type MatchCondition,
} from '../../api/httpproxy';
import { type Weights } from './traffic-router';

export const DEFAULT_WEIGHTS: Weights = { primary: 100, canary: 0 };
/** Flagger sets it so a Linkerd sidecar behind Envoy routes to the intended Service. */
export const L5D_DST_OVERRIDE = 'l5d-dst-override';
/** Flagger's fixed idle timeout whenever `service.timeout` is set. */
const IDLE_TIMEOUT = '5m';

export interface ManagedRoute {
  route: HTTPProxyRoute;
  /** False for the A/B default route, which always sends everything to the primary. */
  carriesWeights: boolean;
}

/** The managed routes with the given weights, weight-carrying routes first. */
export function managedRoutes(settings: CanarySettings, weights: Weights): ManagedRoute[] {
  const prefix = settings.service.uriPrefix;
  const matchRoutes = settings.strategy === 'ab-testing'
    ? settings.analysis.match.map(headerConditions).filter((c) => c.length > 0)
    : [];
  // No header Contour can match on (only queryParams or sourceLabels): plain weighted routing.
  if (matchRoutes.length === 0) return [{ route: route(settings, [{ prefix }], weights), carriesWeights: true }];
  return [
    ...matchRoutes.map((headers) => ({ route: route(settings, withPrefix(prefix, headers), weights), carriesWeights: true })),
    { route: route(settings, [{ prefix }], DEFAULT_WEIGHTS), carriesWeights: false },
  ];
}

function route(settings: CanarySettings, conditions: MatchCondition[], weights: Weights): HTTPProxyRoute {
  const { service } = settings;
  const r: HTTPProxyRoute = {
    conditions,
    services: [
      backend(settings, service.primaryName, weights.primary),
      backend(settings, service.canaryName, weights.canary),
    ],
  };
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
 * The path prefix rides on the first condition, as Flagger writes it for one header; further
 * headers get conditions of their own, because Contour rejects a route with two prefixes.
 */
function withPrefix(prefix: string, headers: HeaderMatchCondition[]): MatchCondition[] {
  return headers.map((header, i) => (i === 0 ? { prefix, header } : { header }));
}

/**
 * One match block's headers as Contour conditions, sorted by name so the spec is stable (Flagger
 * iterates a Go map). Flagger degrades prefix and suffix to `contains`; Contour's full-match
 * `regex` expresses them exactly, and carries `regex` too, which Flagger drops.
 */
export function headerConditions(match: HttpMatch): HeaderMatchCondition[] {
  return Object.entries(match.headers ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([name, m]): HeaderMatchCondition[] => {
      if (m.exact !== undefined) return [{ name, exact: m.exact }];
      if (m.prefix !== undefined) return [{ name, regex: `${escapeRegex(m.prefix)}.*` }];
      if (m.suffix !== undefined) return [{ name, regex: `.*${escapeRegex(m.suffix)}` }];
      if (m.regex !== undefined) return [{ name, regex: m.regex }];
      return [];
    });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
