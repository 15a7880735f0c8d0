// The managed routes a write leaves in the HTTPProxy: the weights (or, for `keep`, the live ones),
// the affinity cookies those weights need, Flagger's route shapes, folded into the live routes. Pure.
import { type CanarySettings } from '../../api/canary-settings';
import { type HTTPProxyRoute } from '../../api/httpproxy';
import { affinityCookies } from './contour-affinity';
import { keptWeights, mergeRoutes, type ServiceNames } from './contour-merge';
import { DEFAULT_WEIGHTS, managedRoutes } from './contour-routes';
import { type Weights } from './traffic-router';

export function desiredRoutes(
  settings: CanarySettings,
  live: readonly HTTPProxyRoute[],
  weights: Weights | 'keep',
  fresh: () => string,
): HTTPProxyRoute[] {
  const names: ServiceNames = { primary: settings.service.primaryName, canary: settings.service.canaryName };
  const first = managedRoutes(settings, DEFAULT_WEIGHTS)[0]?.conditions;
  const w = weights === 'keep' ? keptWeights(live, first, names, settings.analysis.mirror) : weights;
  const cookies = affinityCookies(settings, live, names, w, fresh);
  return mergeRoutes(live, managedRoutes(settings, w, cookies), names);
}
