// The `spec.analysis` part of Flagger's Canary: timing, traffic steps, metrics, webhooks and alerts.
// Numeric fields are optional because Go's zero value means "unset" in Flagger.

export const WEBHOOK_TYPES = [
  '',
  'confirm-rollout',
  'pre-rollout',
  'rollout',
  'confirm-promotion',
  'post-rollout',
  'event',
  'rollback',
  'confirm-traffic-increase',
] as const;
/** `''` is Flagger's spelling of `rollout`. */
export type WebhookType = (typeof WEBHOOK_TYPES)[number];

export const ALERT_SEVERITIES = ['', 'info', 'warn', 'error'] as const;
/** `''` is accepted by the CRD but, in Flagger's code, receives no alert at all. */
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export interface ThresholdRange {
  min?: number;
  max?: number;
}

export interface CanaryMetric {
  name: string;
  /** Go duration; the window substituted for `{{ interval }}` in queries. */
  interval?: string;
  /** Deprecated single bound: a minimum for request-success-rate, a maximum for anything else. */
  threshold?: number;
  thresholdRange?: ThresholdRange;
  /** Deprecated inline PromQL, run against the metrics server. */
  query?: string;
  templateRef?: { name: string; namespace?: string };
  templateVariables?: Record<string, string>;
  /** Perch only: what a query answering no data means (default `fail`, Flagger's rule). */
  noData?: NoDataPolicy;
}

/**
 * `fail`: a failed check ("no values found"), as Flagger. `pass`: counts as passing (quiet services
 * where no requests means no errors). `hold`: neither; the step is held until data comes.
 */
export type NoDataPolicy = 'fail' | 'pass' | 'hold';

export interface CanaryWebhook {
  name: string;
  type?: WebhookType;
  url: string;
  timeout?: string;
  metadata?: Record<string, string>;
  muteAlert?: boolean;
  retries?: number;
  disableTLS?: boolean;
}

export interface CanaryAlert {
  name: string;
  severity?: AlertSeverity;
  providerRef: { name: string; namespace?: string };
}

/** Exactly one of the keys is set (the CRD enforces it). */
export interface HeaderMatch {
  exact?: string;
  prefix?: string;
  suffix?: string;
  regex?: string;
}

/** A/B routing condition; Contour honours only `headers`. */
export interface HttpMatch {
  headers?: Record<string, HeaderMatch>;
  queryParams?: Record<string, { exact?: string; prefix?: string; regex?: string }>;
  sourceLabels?: Record<string, string>;
}

export interface SessionAffinity {
  cookieName: string;
  primaryCookieName?: string;
  domain?: string;
  httpOnly?: boolean;
  maxAge?: number;
  partitioned?: boolean;
  path?: string;
  sameSite?: 'Strict' | 'Lax' | 'None';
  secure?: boolean;
}

export interface CanaryAnalysis {
  interval?: string;
  threshold?: number;
  iterations?: number;
  maxWeight?: number;
  stepWeight?: number;
  stepWeights?: number[];
  stepWeightPromotion?: number;
  mirror?: boolean;
  mirrorWeight?: number;
  primaryReadyThreshold?: number;
  canaryReadyThreshold?: number;
  match?: HttpMatch[];
  metrics?: CanaryMetric[];
  webhooks?: CanaryWebhook[];
  alerts?: CanaryAlert[];
  sessionAffinity?: SessionAffinity;
}
