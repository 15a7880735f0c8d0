// The workflows this worker runs. Only workflow code is reachable from here (it is bundled).
export { canaryWorkflow } from './canary';
