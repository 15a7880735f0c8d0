// The seam between the rollout and whatever splits traffic (Flagger's pkg/router Interface). Only
// Contour is implemented; another router is one more class behind the same three methods (routers.ts).
import { type CanarySettings } from '../../api/canary-settings';

/** Percent of requests per destination; under A/B testing, of the header-matching requests. */
export interface Weights {
  primary: number;
  canary: number;
  /** The canary also receives a copy of the primary's requests (`analysis.mirror`); only with canary 0. */
  mirror?: boolean;
}

/** The object that owns what the router creates, so Kubernetes deletes it with the Canary. */
export interface RouteOwner {
  name: string;
  uid: string;
}

export interface TrafficRouter {
  /**
   * Creates the routing object, or brings an existing one to the Canary's settings while keeping
   * its current weights and every field the router does not manage.
   */
  reconcile(settings: CanarySettings, owner: RouteOwner): Promise<void>;
  /** Sets the weights; writes nothing when they already hold. */
  setRoutes(settings: CanarySettings, weights: Weights): Promise<void>;
  /** The weights traffic is split by right now: the router, not the Canary's status, is the truth. */
  getRoutes(settings: CanarySettings): Promise<Weights>;
}
