// Flagger's Canary (flagger.app/v1beta1) as it is stored in the cluster. Field names and optionality
// follow Flagger's CRD so that a Canary written for Flagger is read here without translation.
// Fields only other routers use are kept (typed loosely) so that nothing the user wrote is lost.
import { type CanaryAnalysis } from './canary-analysis';

export const FLAGGER_GROUP = 'flagger.app';
export const FLAGGER_VERSION = 'v1beta1';
export const FLAGGER_API_VERSION = `${FLAGGER_GROUP}/${FLAGGER_VERSION}`;
export const CANARY_KIND = 'Canary';
export const CANARY_PLURAL = 'canaries';

export type {
  AlertSeverity,
  CanaryAlert,
  CanaryAnalysis,
  CanaryMetric,
  CanaryWebhook,
  HeaderMatch,
  HttpMatch,
  SessionAffinity,
  ThresholdRange,
  WebhookType,
} from './canary-analysis';
export { WEBHOOK_TYPES, ALERT_SEVERITIES } from './canary-analysis';

export const PROVIDERS = [
  'apisix',
  'appmesh',
  'appmesh:v1beta2',
  'contour',
  'gatewayapi:v1',
  'gatewayapi:v1beta1',
  'gloo',
  'istio',
  'knative',
  'kubernetes',
  'kuma',
  'linkerd',
  'nginx',
  'osm',
  'skipper',
  'smi:v1alpha1',
  'smi:v1alpha2',
  'smi:v1alpha3',
  'traefik',
] as const;
export type Provider = (typeof PROVIDERS)[number];

export const TARGET_KINDS = ['DaemonSet', 'Deployment', 'Service'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
}

export interface TargetRef extends ObjectRef {
  kind: TargetKind;
}

export interface AutoscalerRef extends ObjectRef {
  kind: 'HorizontalPodAutoscaler' | 'ScaledObject';
  /** KEDA only: query id → query for the primary's ScaledObject. */
  primaryScalerQueries?: Record<string, string>;
  primaryScalerReplicas?: { minReplicas?: number; maxReplicas?: number };
}

export interface NamespacedRef extends ObjectRef {
  namespace?: string;
}

export interface CustomMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Istio's StringMatch: at most one of the three is set. */
export interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

/** Istio's HTTPMatchRequest; Contour reads only the first entry's `uri.prefix`. */
export interface ServiceMatch {
  name?: string;
  uri?: StringMatch;
  scheme?: StringMatch;
  method?: StringMatch;
  authority?: StringMatch;
  headers?: Record<string, StringMatch>;
  withoutHeaders?: Record<string, StringMatch>;
  queryParams?: Record<string, StringMatch>;
  port?: number;
  ignoreUriCase?: boolean;
  gateways?: string[];
  sourceLabels?: Record<string, string>;
  sourceNamespace?: string;
}

export interface ServiceRetries {
  attempts?: number;
  perTryTimeout?: string;
  /** Comma-separated retry conditions, as Istio spells them. */
  retryOn?: string;
}

export interface CanaryService {
  name?: string;
  port: number;
  portName?: string;
  targetPort?: number | string;
  appProtocol?: string;
  trafficDistribution?: 'PreferClose' | 'PreferSameZone' | 'PreferSameNode';
  portDiscovery?: boolean;
  headless?: boolean;
  timeout?: string;
  retries?: ServiceRetries;
  match?: ServiceMatch[];
  apex?: CustomMetadata;
  primary?: CustomMetadata;
  canary?: CustomMetadata;
  unmanagedMetadata?: { labels?: string[]; annotations?: string[] };
  // Not used by the Contour router; kept so the object round-trips.
  backendTimeout?: string;
  meshName?: string;
  backends?: string[];
  hosts?: string[];
  gateways?: string[];
  delegation?: boolean;
  gatewayRefs?: Record<string, unknown>[];
  rewrite?: { uri?: string; authority?: string; type?: string };
  headers?: Record<string, unknown>;
  mirror?: Record<string, unknown>[];
  corsPolicy?: Record<string, unknown>;
  trafficPolicy?: Record<string, unknown>;
}

export interface CanarySpec {
  provider?: Provider;
  metricsServer?: string;
  targetRef: TargetRef;
  autoscalerRef?: AutoscalerRef;
  ingressRef?: ObjectRef;
  routeRef?: ObjectRef;
  upstreamRef?: NamespacedRef;
  /** Not required by Flagger's CRD, but Flagger cannot create Services without `port`. */
  service?: CanaryService;
  analysis: CanaryAnalysis;
  /** Deprecated spelling of `analysis`; Flagger reads it only when `analysis` is absent. */
  canaryAnalysis?: CanaryAnalysis;
  progressDeadlineSeconds?: number;
  skipAnalysis?: boolean;
  revertOnDeletion?: boolean;
  suspend?: boolean;
}

export const CANARY_PHASES = [
  '',
  'Initializing',
  'Initialized',
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
  'Succeeded',
  'Failed',
  'Terminating',
  'Terminated',
] as const;
export type CanaryPhase = (typeof CANARY_PHASES)[number];

export const PROMOTED_CONDITION = 'Promoted';

export interface CanaryCondition {
  /** Flagger writes a single condition, of type Promoted. */
  type: string;
  status: 'True' | 'False' | 'Unknown';
  /** The phase that produced the condition. */
  reason: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export interface CanaryStatus {
  phase?: CanaryPhase;
  failedChecks?: number;
  canaryWeight?: number;
  iterations?: number;
  /** `configmap/<name>` or `secret/<name>` → checksum of its data. */
  trackedConfigs?: Record<string, string>;
  lastAppliedSpec?: string;
  lastPromotedSpec?: string;
  lastTrackedRevision?: string;
  lastTransitionTime?: string;
  /** Perch: metadata.generation of the spec the workflow acts on (Flagger has no such field). */
  observedGeneration?: number;
  conditions?: CanaryCondition[];
  sessionAffinityCookie?: string;
  primarySessionAffinityCookie?: string;
  previousSessionAffinityCookie?: string;
}

export interface ObjectMeta {
  name: string;
  namespace: string;
  uid?: string;
  /** RFC 3339, set by the API server; the older of two Canaries on one target keeps it. */
  creationTimestamp?: string;
  generation?: number;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  deletionTimestamp?: string;
}

export interface Canary {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: CanarySpec;
  status?: CanaryStatus;
}
