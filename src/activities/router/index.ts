// Activity functions only: the worker registers every function exported here.
export { getWeights, reconcileRouter, setWeights } from './activities';
export { type RouteOwner, type TrafficRouter, type Weights } from './traffic-router';
