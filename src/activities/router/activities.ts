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
    /**
     * Routes `primary`% / `canary`% (of header-matching requests under A/B testing); with `mirror`
     * (canary 0 only) the canary also gets a copy of the primary's requests. Idempotent.
     */
    setWeights: async (input: { settings: CanarySettings; primary: number; canary: number; mirror?: boolean }): Promise<void> => {
      const { primary, canary, mirror } = input;
      await routerFor(input.settings).setRoutes(input.settings, { primary, canary, ...(mirror === true && { mirror }) });
    },
    /** The weights traffic is split by right now. */
    getWeights: (input: { settings: CanarySettings }): Promise<Weights> => {
      return routerFor(input.settings).getRoutes(input.settings);
    },
  };
}
