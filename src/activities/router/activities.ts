// Router activities. Inputs and outputs are plain JSON: they cross Temporal's activity boundary.
import { type CanarySettings } from '../../api/canary-settings';
import { ContourRouter } from './contour-router';
import { type TrafficRouter, type Weights } from './traffic-router';

/** Contour is the only router Perch drives; the seam keeps the activities router-agnostic. */
let router: TrafficRouter | undefined;
const contour = (): TrafficRouter => (router ??= new ContourRouter());

/** Creates or updates the HTTPProxy `<apex>`; live weights and unmanaged fields survive. */
export async function reconcileRouter(input: { settings: CanarySettings; canaryUid: string }): Promise<void> {
  await contour().reconcile(input.settings, { name: input.settings.name, uid: input.canaryUid });
}

/** Routes `primary`% / `canary`% (of header-matching requests under A/B testing). Idempotent. */
export async function setWeights(input: { settings: CanarySettings; primary: number; canary: number }): Promise<void> {
  await contour().setRoutes(input.settings, { primary: input.primary, canary: input.canary });
}

export async function getWeights(input: { settings: CanarySettings }): Promise<Weights> {
  return contour().getRoutes(input.settings);
}
