// Which AlertProviders an alert goes to: the Canary's alert entries that accept its severity, or,
// for a Canary without entries, the cluster-wide default provider (PERCH_DEFAULT_ALERT_PROVIDER).
import { type AlertSeverity as EntrySeverity } from '../../api/canary-analysis';
import { type AlertSettings } from '../../api/canary-settings';
import { type AlertSeverity } from '../../rollout/messages';

export const DEFAULT_PROVIDER_ENV = 'PERCH_DEFAULT_ALERT_PROVIDER';
export const DEFAULT_SEVERITY_ENV = 'PERCH_DEFAULT_ALERT_SEVERITY';
/** The alert name deliveries to the default provider are reported under. */
export const DEFAULT_ALERT_NAME = 'default';
const SEVERITIES: readonly AlertSeverity[] = ['info', 'warn', 'error'];

export interface ProviderRef {
  name: string;
  namespace: string;
}

export type Route =
  | { alert: string; providerRef: ProviderRef }
  /** A default-provider setting that cannot be used, reported as a failed delivery. */
  | { alert: string; provider: string; problem: string };

/**
 * Flagger's routing: an `info` entry receives everything, `warn` receives warn and error, `error`
 * only error. An entry without a severity receives nothing (Flagger's code, not its docs).
 */
export function receives(entry: EntrySeverity, severity: AlertSeverity): boolean {
  switch (entry) {
    case 'info':
      return true;
    case 'warn':
      return severity === 'warn' || severity === 'error';
    case 'error':
      return severity === 'error';
    default:
      return false;
  }
}

/**
 * PERCH_DEFAULT_ALERT_PROVIDER and its severity, read once at start: the provider that receives the
 * alerts of Canaries without entries, or why the setting cannot be used. A bad setting is reported
 * on every alert as a failed delivery, as a bad AlertProvider would be, rather than stopping the worker.
 */
export type DefaultAlertProvider = { providerRef: ProviderRef; severity: EntrySeverity } | { provider: string; problem: string };

/** Undefined when no default provider is set. */
export function defaultAlertProvider(provider: string | undefined, severity: string | undefined): DefaultAlertProvider | undefined {
  const value = provider?.trim();
  if (!value) return undefined;
  const ref = parseProviderRef(value);
  if (ref === undefined) return { provider: value, problem: `${DEFAULT_PROVIDER_ENV} must be "<namespace>/<name>", got "${value}"` };
  const entry = severity?.trim() || 'info';
  if (!SEVERITIES.includes(entry as AlertSeverity)) {
    return { provider: value, problem: `${DEFAULT_SEVERITY_ENV} must be info, warn or error, got "${entry}"` };
  }
  return { providerRef: ref, severity: entry as EntrySeverity };
}

export function alertRoutes(alerts: readonly AlertSettings[], severity: AlertSeverity, fallback: DefaultAlertProvider | undefined): Route[] {
  if (alerts.length > 0) {
    return alerts.filter((a) => receives(a.severity, severity)).map((a) => ({ alert: a.name, providerRef: { ...a.providerRef } }));
  }
  if (fallback === undefined) return [];
  if ('problem' in fallback) return [{ alert: DEFAULT_ALERT_NAME, provider: fallback.provider, problem: fallback.problem }];
  return receives(fallback.severity, severity) ? [{ alert: DEFAULT_ALERT_NAME, providerRef: { ...fallback.providerRef } }] : [];
}

/** `<namespace>/<name>`, both parts present. */
export function parseProviderRef(value: string): ProviderRef | undefined {
  const parts = value.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}
