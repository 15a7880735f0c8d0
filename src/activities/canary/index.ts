// The Canary itself: load and validate it; hold it with the finalizer while revertOnDeletion needs to.
import { using } from '../bind';
import { setCanaryFinalizer } from './finalizer';
import { type CanaryReader, loadCanary } from './load-canary';

export { type LoadedCanary } from './load-canary';

export function canaryActivities(deps: CanaryReader) {
  return {
    loadCanary: using(deps, loadCanary),
    setCanaryFinalizer: using(deps.kube, setCanaryFinalizer),
  };
}
