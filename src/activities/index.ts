// Every activity the worker registers, built once from the process's configuration and clients
// (createActivities), so no activity reads the environment or keeps a client of its own. Workflows
// import the type only: `proxyActivities<Activities>`.
import { type ActivityConfig } from '../config';
import { type CanaryLister } from '../kubernetes/canary-cache';
import { type KubeClients } from '../kubernetes/client';
import { type CanaryMetrics } from '../metrics/canary-metrics';
import { canaryActivities } from './canary';
import { kubernetesActivities } from './kubernetes';
import { ownEndpointsGuard } from './http/own-endpoints';
import { metricActivities, metricsProviders } from './metrics';
import { alertActivities } from './notifiers';
import { routerActivities, trafficRouters } from './router';
import { EventWriter, statusActivities, StatusWriter } from './status';
import { EventHooks, HttpWebhookCaller, webhookActivities } from './webhooks';

/** What the activities talk to, made once by the worker's entry point. */
export interface ActivityClients {
  kube: KubeClients;
  /** The worker's informer cache of Canaries. */
  canaries: CanaryLister;
  /** The worker's Flagger-compatible series, served on /metrics. */
  metrics: CanaryMetrics;
}

export function createActivities(config: ActivityConfig, clients: ActivityClients) {
  const { kube, canaries, metrics } = clients;
  const reach = ownEndpointsGuard(config.allowOwnEndpoints ? [] : config.ownEndpoints);
  const webhooks = new HttpWebhookCaller(undefined, reach);
  const { selectorLabels, includeLabelPrefix, configTracking } = config;
  return {
    ...canaryActivities({ kube, canaries, noCrossNamespaceRefs: config.noCrossNamespaceRefs }),
    ...kubernetesActivities({ kube, canaries, flags: { selectorLabels, includeLabelPrefix, configTracking } }),
    ...routerActivities(trafficRouters({ custom: kube.custom, ...(config.ingressClass && { ingressClass: config.ingressClass }) })),
    ...metricActivities({ kube, metricsServer: config.metricsServer, providers: metricsProviders(reach), metrics }),
    ...webhookActivities(webhooks),
    ...statusActivities({
      status: new StatusWriter(kube.custom),
      events: new EventWriter(kube.core, kube.custom, config.eventSource),
      hooks: new EventHooks(webhooks, config.eventWebhookUrl),
      metrics,
    }),
    ...alertActivities({
      kube,
      ...(config.defaultAlertProvider && { defaultProvider: config.defaultAlertProvider }),
      ...(config.clusterName && { clusterName: config.clusterName }),
      reach,
    }),
  };
}

/** Every activity by its registered name; the workflows' proxies are typed by it. */
export type Activities = ReturnType<typeof createActivities>;

export { type LoadedCanary } from './canary';
export { NON_RETRYABLE_ERROR_TYPES } from './errors';
