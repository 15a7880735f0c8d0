// A Canary with every default applied and every choice Flagger makes implicitly made explicit, so
// the rollout logic never has to know which fields were left out. Produced by `canarySettings()`.
import { type AutoscalerRef, type ObjectRef } from './canary';
import {
  type AlertSeverity,
  type HttpMatch,
  type NoDataPolicy,
  type SessionAffinity,
  type ThresholdRange,
  type WebhookType,
} from './canary-analysis';
import { type Strategy } from '../rollout/strategy';

export type { Strategy };

export interface ServiceMetadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ServiceSettings {
  /** `service.name`, else the target's name: the apex Service and the HTTPProxy are named so. */
  apexName: string;
  primaryName: string;
  canaryName: string;
  port: number;
  portName: string;
  /** Container port number or name; `port` when unset. */
  targetPort: number | string;
  appProtocol?: string;
  portDiscovery: boolean;
  /** The three Services are headless (clusterIP None), as Flagger makes them. */
  headless: boolean;
  /** Written to the three Services' spec.trafficDistribution. */
  trafficDistribution?: string;
  /** Route response timeout, as written (a Go duration). */
  timeout?: string;
  retries?: { attempts: number; perTryTimeout?: string; retryOn: string[] };
  /** Route prefix: `service.match[0].uri.prefix`, else `/` (all Contour reads of `match`). */
  uriPrefix: string;
  apex: ServiceMetadata;
  primary: ServiceMetadata;
  canary: ServiceMetadata;
  unmanagedMetadata: { labels: string[]; annotations: string[] };
}

export interface MetricSettings {
  name: string;
  /** As written, for `{{ interval }}`; default `1m`. */
  interval: string;
  intervalMs: number;
  /** The deprecated `threshold` folded in: a min for request-success-rate, a max otherwise. */
  thresholdRange: ThresholdRange;
  query?: string;
  templateRef?: { name: string; namespace: string };
  templateVariables: Record<string, string>;
  noData: NoDataPolicy;
}

export interface WebhookSettings {
  name: string;
  /** `''` normalised to `rollout`. */
  type: Exclude<WebhookType, ''>;
  url: string;
  timeoutMs: number;
  metadata: Record<string, string>;
  muteAlert: boolean;
  retries: number;
  disableTLS: boolean;
}

export interface AlertSettings {
  name: string;
  severity: AlertSeverity;
  providerRef: { name: string; namespace: string };
}

export interface AnalysisSettings {
  intervalMs: number;
  threshold: number;
  /** Weight at which promotion starts. */
  maxWeight: number;
  /** 0 when the ladder in `stepWeights` (or iterations) drives the run. */
  stepWeight: number;
  /** Empty unless it is the ladder in use (`stepWeight` wins when both are set). */
  stepWeights: number[];
  /** 0 = route all traffic back to the primary in one step. */
  stepWeightPromotion: number;
  iterations: number;
  mirror: boolean;
  mirrorWeight: number;
  /** Percent of updated replicas that must be available. */
  primaryReadyThreshold: number;
  canaryReadyThreshold: number;
  match: HttpMatch[];
  metrics: MetricSettings[];
  webhooks: WebhookSettings[];
  alerts: AlertSettings[];
  sessionAffinity?: SessionAffinity;
}

export interface CanarySettings {
  name: string;
  namespace: string;
  provider?: string;
  metricsServer?: string;
  targetRef: ObjectRef;
  autoscalerRef?: AutoscalerRef;
  /** Only names `{{ ingress }}` in MetricTemplate queries (Flagger's nginx router reads it too). */
  ingressRef?: ObjectRef;
  /** Only names `{{ route }}` in MetricTemplate queries (Flagger's APISIX router reads it too). */
  routeRef?: ObjectRef;
  service: ServiceSettings;
  analysis: AnalysisSettings;
  strategy: Strategy;
  /** Also true when the Canary has no analysis at all. */
  skipAnalysis: boolean;
  suspend: boolean;
  revertOnDeletion: boolean;
  progressDeadlineSeconds: number;
}
