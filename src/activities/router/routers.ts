// One TrafficRouter per Canary `spec.provider` (Flagger's pkg/router Factory). A second router is
// one more file implementing TrafficRouter and one more entry here.
import type * as k8s from '@kubernetes/client-node';
import { type CanarySettings } from '../../api/canary-settings';
import { failure } from '../errors';
import { ContourRouter } from './contour-router';
import { type TrafficRouter } from './traffic-router';

export interface RouterDependencies {
  custom: k8s.CustomObjectsApi;
  /** PERCH_INGRESS_CLASS. */
  ingressClass?: string;
}

/** The provider a Canary without `spec.provider` is routed by. */
export const DEFAULT_ROUTER = 'contour';

const ROUTERS: Readonly<Record<string, (deps: RouterDependencies) => TrafficRouter>> = {
  contour: (deps) => new ContourRouter(deps.custom, deps.ingressClass),
};

/** The router of a Canary's settings; an InvalidCanary failure naming the provider Perch cannot route by. */
export type TrafficRouterFactory = (settings: CanarySettings) => TrafficRouter;

/** Builds each known router once; a Canary picks its own by `spec.provider`. */
export function trafficRouters(deps: RouterDependencies): TrafficRouterFactory {
  const built = new Map(Object.entries(ROUTERS).map(([provider, make]) => [provider, make(deps)]));
  return (settings) => {
    const provider = settings.provider || DEFAULT_ROUTER;
    const router = built.get(provider);
    if (router === undefined) {
      throw failure('InvalidCanary', `spec.provider ${provider} is not supported: Perch routes traffic with ${[...built.keys()].join(', ')} only`);
    }
    return router;
  };
}
