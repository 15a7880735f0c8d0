// Process configuration from the environment, read once at start by the entry points. Nothing
// below them reads the environment: the worker hands ActivityConfig to createActivities.
import { type DefaultAlertProvider, defaultAlertProvider } from './activities/notifiers/routing';
import { parseDurationMs } from './api/duration';
import { type HttpAddress, httpAddressFromEnv } from './http/address';
import { DEFAULT_SELECTOR_LABELS, type TargetFlags } from './kubernetes/target-flags';
import { type TemporalTarget, temporalTarget } from './temporal/connection';

/** Flagger's default metrics server, used when neither the Canary nor PERCH_METRICS_SERVER names one. */
export const DEFAULT_METRICS_SERVER = 'http://prometheus:9090';
/** The `source.component` of the Events Perch writes, unless PERCH_EVENT_SOURCE says otherwise. */
export const DEFAULT_EVENT_SOURCE = 'perch';

/** What the worker's activities need to know about the installation. */
export interface ActivityConfig extends TargetFlags {
  /** PERCH_METRICS_SERVER: Prometheus when the Canary (and a MetricTemplate) names none. */
  metricsServer: string;
  /** PERCH_INGRESS_CLASS: written to every HTTPProxy's spec.ingressClassName when set. */
  ingressClass?: string;
  /** PERCH_EVENT_WEBHOOK_URL: every Event, for Canaries without an `event` webhook of their own. */
  eventWebhookUrl?: string;
  /** PERCH_DEFAULT_ALERT_PROVIDER and PERCH_DEFAULT_ALERT_SEVERITY. */
  defaultAlertProvider?: DefaultAlertProvider;
  /** PERCH_EVENT_SOURCE: the Events' source and reporting component (`flagger` for exporters that filter on it). */
  eventSource: string;
  /** PERCH_NO_CROSS_NAMESPACE_REFS: a MetricTemplate or AlertProvider in another namespace makes the Canary invalid. */
  noCrossNamespaceRefs: boolean;
  /** PERCH_CLUSTER_NAME: the "Cluster" field of every alert. */
  clusterName?: string;
  /**
   * The worker's own HTTP endpoints (PERCH_HTTP_ADDRESS and the SDK's metrics port), which webhooks,
   * alert providers and metrics servers named by Canaries may not reach; set by the worker's entry point.
   */
  ownEndpoints: HttpAddress[];
  /** PERCH_ALLOW_OWN_ENDPOINTS: let them (default false). */
  allowOwnEndpoints: boolean;
  // From TargetFlags: PERCH_SELECTOR_LABELS, PERCH_INCLUDE_LABEL_PREFIX, PERCH_CONFIG_TRACKING (the watcher reads it too).
}

export interface PerchConfig extends ActivityConfig {
  temporal: TemporalTarget;
  taskQueue: string;
  /** PERCH_WATCH_NAMESPACE: Canaries of this namespace only; empty for all. */
  watchNamespace: string;
  /** PERCH_HTTP_ADDRESS: probes and /metrics; no server when unset. */
  httpAddress?: HttpAddress;
  /** PERCH_WORKFLOW_BUNDLE: a prebuilt workflow bundle (the image's); else the sources are bundled at start. */
  workflowBundle?: string;
  /** PERCH_RESYNC_PERIOD: how often the watcher signals every Canary again, however quiet. */
  resyncPeriodMs: number;
  /** PERCH_LONG_CALL_SLOTS: long calls (the primary's and the router's writes) the worker runs at once. */
  longCallSlots: number;
}

/**
 * Twice Flagger's default threadiness (2 Canaries reconciled at a time): enough to initialise a
 * fleet faster than Flagger, few enough that the API server is not handed a hundred copies at once.
 */
export const DEFAULT_LONG_CALL_SLOTS = 4;

const setting = (value: string | undefined): string | undefined => (value?.trim() ? value.trim() : undefined);

/** A comma-separated list, blanks dropped. */
const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

/** `true` or `false` (any case), `fallback` when unset; anything else stops the process with the variable's name. */
function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = setting(env[name])?.toLowerCase();
  if (value === undefined) return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`${name} must be true or false, got "${env[name] ?? ''}"`);
}

/** Flagger's controller flags that shape targets; read by the worker and (config tracking) the watcher. */
export function targetFlags(env: NodeJS.ProcessEnv): TargetFlags {
  const selectorLabels = list(env.PERCH_SELECTOR_LABELS);
  return {
    selectorLabels: selectorLabels.length > 0 ? selectorLabels : DEFAULT_SELECTOR_LABELS,
    includeLabelPrefix: list(env.PERCH_INCLUDE_LABEL_PREFIX),
    configTracking: flag(env, 'PERCH_CONFIG_TRACKING', true),
  };
}

export function activityConfig(env: NodeJS.ProcessEnv): ActivityConfig {
  const ingressClass = setting(env.PERCH_INGRESS_CLASS);
  const eventWebhookUrl = setting(env.PERCH_EVENT_WEBHOOK_URL);
  const alertProvider = defaultAlertProvider(env.PERCH_DEFAULT_ALERT_PROVIDER, env.PERCH_DEFAULT_ALERT_SEVERITY);
  const clusterName = setting(env.PERCH_CLUSTER_NAME);
  return {
    ...targetFlags(env),
    metricsServer: setting(env.PERCH_METRICS_SERVER) ?? DEFAULT_METRICS_SERVER,
    ...(ingressClass && { ingressClass }),
    ...(eventWebhookUrl && { eventWebhookUrl }),
    ...(alertProvider && { defaultAlertProvider: alertProvider }),
    eventSource: setting(env.PERCH_EVENT_SOURCE) ?? DEFAULT_EVENT_SOURCE,
    noCrossNamespaceRefs: flag(env, 'PERCH_NO_CROSS_NAMESPACE_REFS', false),
    ...(clusterName && { clusterName }),
    ownEndpoints: [],
    allowOwnEndpoints: flag(env, 'PERCH_ALLOW_OWN_ENDPOINTS', false),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PerchConfig {
  return {
    ...activityConfig(env),
    temporal: temporalTarget(env),
    taskQueue: env.PERCH_TASK_QUEUE ?? 'perch',
    watchNamespace: env.PERCH_WATCH_NAMESPACE ?? '',
    httpAddress: httpAddressFromEnv(env),
    workflowBundle: env.PERCH_WORKFLOW_BUNDLE || undefined,
    resyncPeriodMs: resyncPeriodMs(env.PERCH_RESYNC_PERIOD),
    longCallSlots: longCallSlots(env.PERCH_LONG_CALL_SLOTS),
  };
}

/** A whole number of at least 1; DEFAULT_LONG_CALL_SLOTS when unset. */
function longCallSlots(text: string | undefined): number {
  const value = setting(text);
  if (value === undefined) return DEFAULT_LONG_CALL_SLOTS;
  const slots = Number(value);
  if (!Number.isInteger(slots) || slots < 1) throw new Error(`PERCH_LONG_CALL_SLOTS must be a whole number of at least 1, got "${text}"`);
  return slots;
}

/** A Go duration ("5m", "90s"); 5 minutes when unset. */
function resyncPeriodMs(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return 5 * 60_000;
  const ms = parseDurationMs(text.trim());
  if (ms === undefined || ms < 1000) throw new Error(`PERCH_RESYNC_PERIOD must be a duration of at least 1s (e.g. 5m or 90s), got "${text}"`);
  return ms;
}
