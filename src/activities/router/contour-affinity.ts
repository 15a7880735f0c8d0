// Session affinity's cookies, read back from the live HTTPProxy. Flagger keeps the canary's cookie
// in the Canary's status; Perch keeps none: the proxy that routes by the cookie is where it lives,
// so it is read from there, and a new one is drawn only when a rollout first gives the canary
// weight. Pure (the new value comes from the caller).
import { type CanarySettings } from '../../api/canary-settings';
import { type HTTPProxyRoute, type HTTPProxyService } from '../../api/httpproxy';
import { type ServiceNames, isManaged, readWeights } from './contour-merge';
import { type AffinityCookies, cookieOf, SET_COOKIE } from './contour-routes';
import { type Weights } from './traffic-router';

/**
 * The cookies the routes for `weights` need. While the canary has weight its cookie is the live
 * one (of the configured name), else `<cookieName>=<fresh()>`; the primary's (with
 * `primaryCookieName`) is redrawn whenever the weights move, so, as in Flagger, it pins a user for
 * one step. Back at canary 0 the rollout's cookie is expired: its bearers return to the primary.
 */
export function affinityCookies(
  settings: CanarySettings,
  live: readonly HTTPProxyRoute[],
  names: ServiceNames,
  weights: Weights,
  fresh: () => string,
): AffinityCookies {
  const affinity = settings.analysis.sessionAffinity;
  if (!affinity) return {};
  const ours = live.filter((r) => isManaged(r, names));
  const liveCanary = serviceCookie(ours, names.canary);
  if (weights.canary === 0 || weights.mirror === true) {
    const expired = liveCanary ?? ours.map((r) => setCookieOf(r.responseHeadersPolicy)).find((c) => c !== undefined);
    return expired ? { expired } : {};
  }
  const named = (cookie: string | undefined, name: string) => (cookie?.startsWith(`${name}=`) ? cookie : undefined);
  const canary = named(liveCanary, affinity.cookieName) ?? `${affinity.cookieName}=${fresh()}`;
  const primaryName = affinity.primaryCookieName;
  if (!primaryName) return { canary };
  const before = readWeights(live, names);
  const moved = before?.primary !== weights.primary;
  const primary = (!moved && named(serviceCookie(ours, names.primary), primaryName)) || `${primaryName}=${fresh()}`;
  return { canary, primary };
}

/** The cookie the named Service's responses set on a weighted route, if any. */
function serviceCookie(routes: readonly HTTPProxyRoute[], service: string): string | undefined {
  for (const r of routes) {
    const s: HTTPProxyService | undefined = r.services?.find((x) => x.name === service && (x.weight ?? 0) > 0);
    const cookie = setCookieOf(s?.responseHeadersPolicy);
    if (cookie !== undefined) return cookie;
  }
  return undefined;
}

function setCookieOf(policy: HTTPProxyService['responseHeadersPolicy']): string | undefined {
  const h = policy?.set?.find((x) => x.name.toLowerCase() === SET_COOKIE.toLowerCase());
  return h ? cookieOf(h.value) : undefined;
}
