// Flagger's defaults, applied once: the rest of Perch reads CanarySettings and never re-derives a
// default. Total on any Canary the CRD admits; problems are reported by validation.ts, not here.
import { type Canary, type CanaryService, type CustomMetadata } from './canary';
import { type CanaryAlert, type CanaryAnalysis, type CanaryMetric, type CanaryWebhook, type HttpMatch } from './canary-analysis';
import {
  type AlertSettings,
  type AnalysisSettings,
  type CanarySettings,
  type MetricSettings,
  type ServiceMetadata,
  type ServiceSettings,
  type Strategy,
  type WebhookSettings,
} from './canary-settings';
import { TOTAL_WEIGHT } from '../rollout/steps';
import { parseDurationMs } from './duration';

export const DEFAULT_INTERVAL_MS = 60_000;
// Flagger raises intervals under 10s to 10s because its scheduler ticks; Perch waits on durable
// timers, so it honours intervals down to one second.
export const MIN_INTERVAL_MS = 1000;
export const DEFAULT_METRIC_INTERVAL = '1m';
const DEFAULT_METRIC_INTERVAL_MS = 60_000;
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
export const DEFAULT_READY_THRESHOLD = 100;
export const DEFAULT_PORT_NAME = 'http';

export function canarySettings(canary: Canary): CanarySettings {
  const { metadata, spec } = canary;
  const namespace = metadata.namespace;
  // Flagger reads the deprecated spelling only when the current one is absent.
  const raw = spec.analysis ?? spec.canaryAnalysis;
  const analysis = analysisSettings(raw ?? {}, namespace);
  return {
    name: metadata.name,
    namespace,
    ...(spec.provider !== undefined && { provider: spec.provider }),
    ...(spec.metricsServer && { metricsServer: spec.metricsServer }),
    targetRef: { apiVersion: spec.targetRef.apiVersion, kind: spec.targetRef.kind, name: spec.targetRef.name },
    ...(spec.autoscalerRef && { autoscalerRef: spec.autoscalerRef }),
    ...(spec.ingressRef && { ingressRef: spec.ingressRef }),
    ...(spec.routeRef && { routeRef: spec.routeRef }),
    service: serviceSettings(spec.service, spec.targetRef.name),
    analysis,
    strategy: strategyOf(analysis),
    skipAnalysis: raw === undefined || spec.skipAnalysis === true,
    suspend: spec.suspend === true,
    revertOnDeletion: spec.revertOnDeletion === true,
    progressDeadlineSeconds: spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS,
  };
}

/** Flagger's DeploymentStrategy(): header matching only makes A/B when iterations drive the run. */
export function strategyOf(analysis: { readonly iterations: number; readonly match: readonly unknown[] }): Strategy {
  if (analysis.iterations > 0) return analysis.match.length > 0 ? 'ab-testing' : 'blue-green';
  return 'canary';
}

/** The analysis interval: unset or unparsable → 60s (Flagger's default); at least 1s. */
export function analysisIntervalMs(interval: string | undefined): number {
  const ms = interval ? parseDurationMs(interval) : undefined;
  if (ms === undefined) return DEFAULT_INTERVAL_MS;
  return Math.max(ms, MIN_INTERVAL_MS);
}

function analysisSettings(a: CanaryAnalysis, namespace: string): AnalysisSettings {
  const stepWeight = positive(a.stepWeight);
  // The step weight wins over a ladder, so only one of them is ever in use downstream.
  const stepWeights = stepWeight > 0 ? [] : [...(a.stepWeights ?? [])];
  const last = stepWeights.at(-1);
  const maxWeight = last !== undefined ? Math.min(TOTAL_WEIGHT, last) : Math.min(TOTAL_WEIGHT, positive(a.maxWeight) || TOTAL_WEIGHT);
  return {
    intervalMs: analysisIntervalMs(a.interval),
    threshold: positive(a.threshold) || 1,
    maxWeight,
    stepWeight,
    stepWeights,
    stepWeightPromotion: positive(a.stepWeightPromotion),
    iterations: positive(a.iterations),
    mirror: a.mirror === true,
    mirrorWeight: positive(a.mirrorWeight),
    // Unlike the weights, an explicit 0 is honoured here (Flagger holds these as pointers).
    primaryReadyThreshold: a.primaryReadyThreshold ?? DEFAULT_READY_THRESHOLD,
    canaryReadyThreshold: a.canaryReadyThreshold ?? DEFAULT_READY_THRESHOLD,
    match: (a.match ?? []).map((m: HttpMatch) => ({ ...m })),
    metrics: (a.metrics ?? []).map((m) => metricSettings(m, namespace)),
    webhooks: (a.webhooks ?? []).map(webhookSettings),
    alerts: (a.alerts ?? []).map((al) => alertSettings(al, namespace)),
    ...(a.sessionAffinity && { sessionAffinity: { ...a.sessionAffinity } }),
  };
}

function metricSettings(m: CanaryMetric, namespace: string): MetricSettings {
  const interval = m.interval || DEFAULT_METRIC_INTERVAL;
  const thresholdRange = m.thresholdRange
    ? { ...m.thresholdRange }
    : m.threshold === undefined
      ? {}
      : m.name === 'request-success-rate'
        ? { min: m.threshold }
        : { max: m.threshold };
  return {
    name: m.name,
    interval,
    intervalMs: parseDurationMs(interval) ?? DEFAULT_METRIC_INTERVAL_MS,
    thresholdRange,
    ...(m.query && { query: m.query }),
    ...(m.templateRef && {
      templateRef: { name: m.templateRef.name, namespace: m.templateRef.namespace || namespace },
    }),
    templateVariables: { ...(m.templateVariables ?? {}) },
    noData: m.noData ?? 'fail',
  };
}

/** Flagger treats timeouts shorter than two characters as unset. */
export function webhookTimeoutMs(timeout: string | undefined): number {
  if (!timeout || timeout.length < 2) return DEFAULT_WEBHOOK_TIMEOUT_MS;
  return parseDurationMs(timeout) ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
}

function webhookSettings(w: CanaryWebhook): WebhookSettings {
  return {
    name: w.name,
    type: w.type || 'rollout',
    url: w.url,
    timeoutMs: webhookTimeoutMs(w.timeout),
    metadata: { ...(w.metadata ?? {}) },
    muteAlert: w.muteAlert === true,
    retries: positive(w.retries),
    disableTLS: w.disableTLS === true,
  };
}

function alertSettings(a: CanaryAlert, namespace: string): AlertSettings {
  return {
    name: a.name,
    severity: a.severity ?? '',
    providerRef: { name: a.providerRef.name, namespace: a.providerRef.namespace || namespace },
  };
}

function serviceSettings(s: CanaryService | undefined, targetName: string): ServiceSettings {
  const apexName = s?.name || targetName;
  const port = s?.port ?? 0;
  const retries = s?.retries;
  return {
    apexName,
    primaryName: `${apexName}-primary`,
    canaryName: `${apexName}-canary`,
    port,
    portName: s?.portName || DEFAULT_PORT_NAME,
    // An unset IntOrString reads as 0 in Go, which Flagger replaces with the port.
    targetPort: s?.targetPort === undefined || s.targetPort === 0 || s.targetPort === '' ? port : s.targetPort,
    ...(s?.appProtocol && { appProtocol: s.appProtocol }),
    portDiscovery: s?.portDiscovery === true,
    headless: s?.headless === true,
    ...(s?.trafficDistribution && { trafficDistribution: s.trafficDistribution }),
    ...(s?.timeout && { timeout: s.timeout }),
    ...(retries && {
      retries: {
        attempts: positive(retries.attempts),
        ...(retries.perTryTimeout && { perTryTimeout: retries.perTryTimeout }),
        retryOn: (retries.retryOn ?? '')
          .split(',')
          .map((r) => r.trim())
          .filter((r) => r !== ''),
      },
    }),
    uriPrefix: s?.match?.[0]?.uri?.prefix || '/',
    apex: metadataOf(s?.apex),
    primary: metadataOf(s?.primary),
    canary: metadataOf(s?.canary),
    unmanagedMetadata: {
      labels: [...(s?.unmanagedMetadata?.labels ?? [])],
      annotations: [...(s?.unmanagedMetadata?.annotations ?? [])],
    },
  };
}

function metadataOf(m: CustomMetadata | undefined): ServiceMetadata {
  return { labels: { ...(m?.labels ?? {}) }, annotations: { ...(m?.annotations ?? {}) } };
}

/** Go's int zero value stands for "unset"; negatives are treated the same way. */
function positive(n: number | undefined): number {
  return n !== undefined && n > 0 ? n : 0;
}
