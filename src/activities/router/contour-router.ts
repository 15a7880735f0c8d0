// TrafficRouter for Contour: the HTTPProxy named after the apex Service, meant to be included by a
// user-owned root proxy (it has no virtualhost of its own unless the user gave it one).
import type * as k8s from '@kubernetes/client-node';
import { type ApplicationFailure } from '@temporalio/common';
import { CANARY_KIND, FLAGGER_API_VERSION } from '../../api/canary';
import { type CanarySettings } from '../../api/canary-settings';
import { type HTTPProxy, HTTPPROXY_GROUP, HTTPPROXY_PLURAL, HTTPPROXY_VERSION } from '../../api/httpproxy';
import { log } from '../../log';
import { randomBytes } from 'node:crypto';
import { readWeights, sameProxy, type ServiceNames } from './contour-merge';
import { desiredRoutes } from './contour-desired';
import { apiMessage, statusCode } from '../../kubernetes/client';
import { failure } from '../errors';
import { type RouteOwner, type TrafficRouter, type Weights } from './traffic-router';
import { qualifiedName } from '../../rollout/names';

/** Flagger marks what it generates so Flux does not revert the weights it writes. */
const FLUX_ANNOTATIONS = {
  'kustomize.toolkit.fluxcd.io/reconcile': 'disabled',
  'helm.toolkit.fluxcd.io/driftDetection': 'disabled',
};
const MAX_CONFLICTS = 5;

export class ContourRouter implements TrafficRouter {
  constructor(
    private readonly api: k8s.CustomObjectsApi,
    /** Flagger's -ingress-class; written to spec.ingressClassName as Flagger ≥ 1.43 does (#1870). */
    private readonly ingressClass: string | undefined,
  ) {}

  reconcile(settings: CanarySettings, owner: RouteOwner): Promise<void> {
    return this.write(settings, 'keep', owner);
  }

  setRoutes(settings: CanarySettings, weights: Weights): Promise<void> {
    const ok = (n: number) => Number.isInteger(n) && n >= 0 && n <= 100;
    if (!ok(weights.primary) || !ok(weights.canary) || weights.primary + weights.canary === 0) {
      throw failure('InvalidWeights', `HTTPProxy ${proxyId(settings)} update failed: no valid weights (${weights.primary}/${weights.canary})`);
    }
    if (weights.mirror === true && weights.canary !== 0) {
      throw failure(
        'InvalidWeights',
        `HTTPProxy ${proxyId(settings)} update failed: the canary is mirrored only while it has no weight (${weights.primary}/${weights.canary})`,
      );
    }
    return this.write(settings, weights, undefined);
  }

  async getRoutes(settings: CanarySettings): Promise<Weights> {
    const live = await this.get(settings);
    if (!live) throw failure('RouterNotFound', `HTTPProxy ${proxyId(settings)} get query error: not found`);
    const weights = readWeights(live.spec.routes ?? [], names(settings));
    if (!weights) throw failure('RoutesNotFound', `HTTPProxy ${proxyId(settings)} services not found`);
    return weights;
  }

  /** Read, merge, write; re-read on a conflicting concurrent write. No write when nothing changes. */
  private async write(settings: CanarySettings, weights: Weights | 'keep', owner: RouteOwner | undefined): Promise<void> {
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const live = await this.get(settings);
      if (!live && !owner) {
        // Gone with its Canary (garbage collection), or deleted by hand: only reconcile creates it.
        throw failure('RouterNotFound', `HTTPProxy ${proxyId(settings)} query error: not found`);
      }
      const desired = this.desired(settings, live, weights, owner);
      if (live && sameProxy(live, desired)) return;
      try {
        if (live) await this.api.replaceNamespacedCustomObject({ ...this.at(settings), name: desired.metadata.name, body: desired });
        else await this.api.createNamespacedCustomObject({ ...this.at(settings), body: desired });
        log('info', `HTTPProxy ${proxyId(settings)} ${live ? 'updated' : 'created'}`, { canary: qualifiedName(settings) });
        return;
      } catch (err) {
        // 409: someone wrote in between (or created it first); merge again on fresh state.
        if (statusCode(err) === 409) continue;
        throw writeFailure(settings, live ? 'update' : 'create', err);
      }
    }
    throw failure('WriteConflict', `HTTPProxy ${proxyId(settings)} update error: conflicting writes`);
  }

  private desired(settings: CanarySettings, live: HTTPProxy | undefined, weights: Weights | 'keep', owner: RouteOwner | undefined): HTTPProxy {
    const spec = { ...(live?.spec ?? {}), routes: desiredRoutes(settings, live?.spec.routes ?? [], weights, cookieValue) };
    if (this.ingressClass) spec.ingressClassName = this.ingressClass;
    const { apex } = settings.service;
    const labels = { ...(live?.metadata.labels ?? {}), ...apex.labels };
    const annotations = { ...(live?.metadata.annotations ?? {}), ...apex.annotations, ...FLUX_ANNOTATIONS };
    const owners = ownerReferences(live, settings, owner);
    return {
      apiVersion: `${HTTPPROXY_GROUP}/${HTTPPROXY_VERSION}`,
      kind: 'HTTPProxy',
      ...(live ?? {}),
      metadata: {
        ...(live?.metadata ?? {}),
        name: settings.service.apexName,
        namespace: settings.namespace,
        ...(Object.keys(labels).length > 0 && { labels }),
        annotations,
        ...(owners.length > 0 && { ownerReferences: owners }),
      },
      spec,
    };
  }

  private async get(settings: CanarySettings): Promise<HTTPProxy | undefined> {
    try {
      return (await this.api.getNamespacedCustomObject({ ...this.at(settings), name: settings.service.apexName })) as HTTPProxy;
    } catch (err) {
      if (statusCode(err) === 404) return undefined;
      throw failure('KubernetesUnavailable', `HTTPProxy ${proxyId(settings)} get query error: ${apiMessage(err)}`);
    }
  }

  private at(settings: CanarySettings) {
    return { group: HTTPPROXY_GROUP, version: HTTPPROXY_VERSION, plural: HTTPPROXY_PLURAL, namespace: settings.namespace };
  }
}

/** A session-affinity cookie's value: 16 random bytes, URL-safe. */
const cookieValue = (): string => randomBytes(16).toString('base64url');
const proxyId = (s: CanarySettings): string => `${s.service.apexName}.${s.namespace}`;
const names = (s: CanarySettings): ServiceNames => ({ primary: s.service.primaryName, canary: s.service.canaryName });

/**
 * A new proxy is owned (controller) by the Canary. An adopted one is not, as in Flagger: deleting
 * the Canary must not delete a proxy the user made. A stale uid of a re-created Canary of the same
 * name is updated, or garbage collection would delete the proxy under the new Canary.
 */
function ownerReferences(live: HTTPProxy | undefined, settings: CanarySettings, owner: RouteOwner | undefined): object[] {
  const ref = owner && {
    apiVersion: FLAGGER_API_VERSION,
    kind: CANARY_KIND,
    name: owner.name,
    uid: owner.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
  if (live === undefined) return ref ? [ref] : [];
  const current = live.metadata.ownerReferences ?? [];
  if (!ref) return current;
  return current.map((o) => {
    const r = o as Partial<typeof ref>;
    return r.kind === CANARY_KIND && r.controller === true && r.name === settings.name && r.uid !== ref.uid ? { ...o, uid: ref.uid } : o;
  });
}

/** Rejections of the object itself (invalid, 422) repeat on every retry; anything else may pass. */
function writeFailure(settings: CanarySettings, verb: 'create' | 'update', err: unknown): ApplicationFailure {
  const message = `HTTPProxy ${proxyId(settings)} ${verb} error: ${apiMessage(err)}`;
  return failure(statusCode(err) === 422 ? 'InvalidCanary' : 'KubernetesUnavailable', message);
}
