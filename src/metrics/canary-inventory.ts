// The Canaries the worker's metrics cover, from the worker's informer cache: flagger_canary_total
// per namespace, and which targets' series to drop once their Canary is gone.
import { type CanaryLister } from '../kubernetes/canary-cache';
import { type CanaryInventory, type CanaryTarget } from './canary-metrics';

export function canaryInventory(canaries: CanaryLister): CanaryInventory {
  return () =>
    Promise.resolve(
      canaries.list().flatMap((c): CanaryTarget[] => {
        const target = c.spec?.targetRef?.name;
        return c.metadata?.namespace && target ? [{ namespace: c.metadata.namespace, target }] : [];
      }),
    );
}
