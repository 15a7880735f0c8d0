// Activity functions only: the worker registers every function exported here.
export { queryMetric } from './activities';
export { type MetricsProvider } from './metrics-provider';
