// Every activity the worker registers. Workflows import this module as types only.
export { loadCanary } from './canary/load-canary';
export { setCanaryFinalizer } from './canary/finalizer';
export * from './kubernetes';
export { getWeights, reconcileRouter, setWeights } from './router';
export { measureMetric } from './metrics/measure-metric';
export { callWebhook } from './webhooks';
export { recordEvent, writeCanaryStatus } from './status';
export { sendAlert } from './notifiers';
