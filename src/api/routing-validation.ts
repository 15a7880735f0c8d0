// The Canary fields that shape routing, checked against what Perch's only router, Contour's
// HTTPProxy, can do: the provider, the Service fields other routers read, mirroring, session
// affinity and A/B match conditions. What Contour cannot express is refused with a message naming
// the field, never accepted and ignored (Flagger's Contour router ignores most of these silently).
import { type CanarySpec, type CanaryService } from './canary';
import { type CanaryAnalysis, type HttpMatch, type SessionAffinity } from './canary-analysis';
import { type DeepPartial, quote } from './checks';
import { strategyOf } from './defaults';
import { type Strategy } from '../rollout/strategy';

/** The only `spec.provider` Perch routes by; unset means the same. */
export const SUPPORTED_PROVIDER = 'contour';

export function checkProvider(provider: string | undefined): string[] {
  if (provider === undefined || provider === SUPPORTED_PROVIDER) return [];
  return [
    `spec.provider ${provider} is not supported: Perch routes traffic with Contour's HTTPProxy only (set provider: contour, or leave it unset)`,
  ];
}

/**
 * `spec.service` and `spec` fields only other Flagger routers read, with the routers that read them.
 * Flagger's Contour router ignores every one of them.
 */
export const OTHER_ROUTER_FIELDS: Readonly<Record<string, string>> = {
  'spec.upstreamRef': 'Gloo',
  'spec.service.backendTimeout': 'Gateway API',
  'spec.service.backends': 'App Mesh',
  'spec.service.corsPolicy': 'Istio',
  'spec.service.delegation': 'Istio',
  'spec.service.gatewayRefs': 'Gateway API',
  'spec.service.gateways': 'Istio',
  'spec.service.headers': 'Istio and Gateway API',
  'spec.service.hosts': 'Istio and Gateway API',
  'spec.service.meshName': 'App Mesh',
  'spec.service.mirror': 'Gateway API',
  'spec.service.rewrite': 'Istio and Gateway API',
  'spec.service.trafficPolicy': 'Istio',
};

export function checkOtherRouterFields(spec: DeepPartial<CanarySpec>): string[] {
  const service = (spec.service ?? {}) as Record<string, unknown>;
  return Object.entries(OTHER_ROUTER_FIELDS).flatMap(([path, routers]) => {
    const value = path === 'spec.upstreamRef' ? spec.upstreamRef : service[path.slice('spec.service.'.length)];
    if (!isSet(value)) return [];
    return [
      `${path} is not supported: only Flagger's ${routers} router reads it (its Contour router ignores it), and Perch refuses it rather than ignore it; remove it`,
    ];
  });
}

/**
 * `service.headless` would make the Services' clusterIP None; Kubernetes never changes an allocated
 * clusterIP, so the apex Service users already call (and any Service taken over) would have to be
 * deleted and re-created under traffic. Contour routes to endpoints either way.
 */
export function checkHeadless(service: DeepPartial<CanaryService> | undefined): string[] {
  if (service?.headless !== true) return [];
  return [
    "spec.service.headless is not supported: a Service's clusterIP cannot become None once allocated, so Perch would have to delete and re-create the apex Service under traffic, and Contour routes to the pods the same way with or without it; remove it",
  ];
}

/** Contour's routes take the path prefix of `service.match[0].uri.prefix` and nothing else of it. */
export function checkServiceMatch(service: DeepPartial<CanaryService> | undefined): string[] {
  const problems: string[] = [];
  (service?.match ?? []).forEach((m, i) => {
    const at = `spec.service.match[${i}]`;
    for (const [key, value] of Object.entries(m ?? {})) {
      if (!isSet(value)) continue;
      if (i === 0 && key === 'uri') {
        const uri = value as Record<string, unknown>;
        for (const kind of Object.keys(uri).filter((k) => k !== 'prefix' && isSet(uri[k]))) {
          problems.push(`${at}.uri.${kind} is not supported: Perch's Contour routes match only the path prefix (spec.service.match[0].uri.prefix)`);
        }
        continue;
      }
      problems.push(`${at}.${key} is not supported: Perch's Contour routes match only the path prefix (spec.service.match[0].uri.prefix)`);
    }
  });
  return problems;
}

type Analysis = DeepPartial<CanaryAnalysis>;
/** Flagger's DeploymentStrategy(), on a spec as written. */
const strategyOfSpec = (a: Analysis): Strategy => strategyOf({ iterations: a.iterations ?? 0, match: a.match ?? [] });

export function checkMirror(a: Analysis, path: string): string[] {
  const problems: string[] = [];
  if (a.mirror === true && strategyOfSpec(a) === 'ab-testing') {
    problems.push(
      `${path}.mirror is not supported with A/B testing (match with iterations): the matching requests already all reach the canary, and Flagger ignores mirror there; remove it`,
    );
  }
  const w = a.mirrorWeight;
  if (w !== undefined && w !== 0) {
    if (!(Number.isInteger(w) && w >= 1 && w <= 100)) {
      problems.push(`${path}.mirrorWeight must be a whole percentage between 1 and 100, got ${w}`);
    } else if (a.mirror !== true) {
      problems.push(`${path}.mirrorWeight is set but ${path}.mirror is not true: nothing would be mirrored; set mirror: true or remove mirrorWeight`);
    }
  }
  return problems;
}

/** RFC 6265 cookie-name token characters. */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A cookie attribute value: no separators, blanks or control characters. */
const ATTRIBUTE_VALUE = /^[^;,\s\p{Cc}]+$/u;

export function checkSessionAffinity(a: Analysis, path: string): string[] {
  const affinity: DeepPartial<SessionAffinity> | undefined = a.sessionAffinity;
  if (affinity === undefined) return [];
  const at = `${path}.sessionAffinity`;
  const problems: string[] = [];
  if (strategyOfSpec(a) !== 'canary') {
    problems.push(
      `${at} needs weighted traffic (stepWeight or stepWeights): with iterations the canary's traffic moves all at once, so there is no split to keep a user on one side of`,
    );
  } else if ((a.match ?? []).length > 0) {
    problems.push(`${at} cannot be combined with ${path}.match: the match conditions already decide which requests may reach the canary`);
  }
  const name = affinity.cookieName;
  if (!name) problems.push(`${at}.cookieName is required`);
  else if (!COOKIE_NAME.test(name)) problems.push(`${at}.cookieName ${quote(name)} is not a valid cookie name`);
  const primary = affinity.primaryCookieName;
  if (primary !== undefined && primary !== '') {
    if (!COOKIE_NAME.test(primary)) problems.push(`${at}.primaryCookieName ${quote(primary)} is not a valid cookie name`);
    // Flagger's own check (verifySessionAffinity), with its reason.
    if (primary === name)
      problems.push(`${at}.primaryCookieName must differ from cookieName: one cookie cannot pin users to both the primary and the canary`);
  }
  if (affinity.maxAge !== undefined && !(Number.isInteger(affinity.maxAge) && affinity.maxAge >= 0)) {
    problems.push(`${at}.maxAge must be a whole number of seconds (0 means the default, 86400), got ${affinity.maxAge}`);
  }
  for (const key of ['domain', 'path'] as const) {
    const v = affinity[key];
    if (v !== undefined && v !== '' && !ATTRIBUTE_VALUE.test(v)) problems.push(`${at}.${key} ${quote(v)} cannot be written into a Set-Cookie header`);
  }
  return problems;
}

/** A/B conditions: Contour matches request headers and query parameters, nothing about the caller. */
export function checkMatch(matches: DeepPartial<HttpMatch>[] | undefined, path: string): string[] {
  const problems: string[] = [];
  (matches ?? []).forEach((m, i) => {
    const at = `${path}.match[${i}]`;
    if (isSet(m.sourceLabels)) {
      problems.push(
        `${at}.sourceLabels is not supported: it matches the calling pod's labels inside a service mesh, and requests reaching Contour's Envoy carry no such thing`,
      );
    }
    const headers = Object.keys(m.headers ?? {});
    const params = Object.entries(m.queryParams ?? {});
    if (headers.length === 0 && params.length === 0) {
      problems.push(`${at} has no headers or queryParams: Contour matches requests on those only`);
    }
    for (const [name, cond] of params) {
      const kinds = Object.entries(cond ?? {}).filter(([, v]) => typeof v === 'string' && v !== '');
      if (kinds.length !== 1) problems.push(`${at}.queryParams.${name} needs exactly one non-empty exact, prefix or regex`);
    }
  });
  return problems;
}

/** Set in the sense of "would change something": not undefined, false, '' or an empty array/object. */
function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}
