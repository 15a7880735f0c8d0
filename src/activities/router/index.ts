// Traffic routing: the activities, and the seam a second router plugs into.
export { routerActivities } from './activities';
export { type RouterDependencies, trafficRouters, type TrafficRouterFactory } from './routers';
export { type RouteOwner, type TrafficRouter, type Weights } from './traffic-router';
