// The worker process's one CanaryMetrics: the activities record into it, the HTTP server serves it.
import { loadConfig } from '../config';
import { canaryLister } from './canary-inventory';
import { CanaryMetrics } from './canary-metrics';

let instance: CanaryMetrics | undefined;

/** Created on first use; counts the Canaries of the namespace the watcher covers (all when unset). */
export function workerMetrics(): CanaryMetrics {
  if (instance === undefined) {
    const scope = loadConfig().watchNamespace;
    instance = new CanaryMetrics({ list: canaryLister(scope), scope });
  }
  return instance;
}
