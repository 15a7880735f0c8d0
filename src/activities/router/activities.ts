// Router activities. Inputs and outputs are plain JSON: they cross Temporal's activity boundary.
import { type CanarySettings } from '../../api/canary-settings';
import { type TrafficRouterFactory } from './routers';
import { type Weights } from './traffic-router';

export function routerActivities(routerFor: TrafficRouterFactory) {
  return {
    /** Creates or updates the routing object (the HTTPProxy `<apex>`); live weights and unmanaged fields survive. */
    reconcileRouter: async (input: { settings: CanarySettings; canaryUid: string }): Promise<void> => {
      await routerFor(input.settings).reconcile(input.settings, { name: input.settings.name, uid: input.canaryUid });
    },
    /** Routes `primary`% / `canary`% (of header-matching requests under A/B testing). Idempotent. */
    setWeights: async (input: { settings: CanarySettings; primary: number; canary: number }): Promise<void> => {
      await routerFor(input.settings).setRoutes(input.settings, { primary: input.primary, canary: input.canary });
    },
    /** The weights traffic is split by right now. */
    getWeights: (input: { settings: CanarySettings }): Promise<Weights> => {
      return routerFor(input.settings).getRoutes(input.settings);
    },
  };
}
