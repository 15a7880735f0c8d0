// Which AlertProviders an alert goes to: the Canary's alert entries that accept its severity, or,
// for a Canary without entries, the cluster-wide default provider named in the environment.
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
    case 'info': return true;
    case 'warn': return severity === 'warn' || severity === 'error';
    case 'error': return severity === 'error';
    default: return false;
  }
}

export interface DefaultProviderEnv {
  provider?: string;
  severity?: string;
}

export function alertRoutes(alerts: readonly AlertSettings[], severity: AlertSeverity, env: DefaultProviderEnv): Route[] {
  if (alerts.length > 0) {
    return alerts.filter((a) => receives(a.severity, severity)).map((a) => ({ alert: a.name, providerRef: { ...a.providerRef } }));
  }
  return defaultRoute(severity, env);
}

function defaultRoute(severity: AlertSeverity, env: DefaultProviderEnv): Route[] {
  const value = env.provider?.trim();
  if (!value) return [];
  const problem = (text: string): Route[] => [{ alert: DEFAULT_ALERT_NAME, provider: value, problem: text }];
  const ref = parseProviderRef(value);
  if (ref === undefined) return problem(`${DEFAULT_PROVIDER_ENV} must be "<namespace>/<name>", got "${value}"`);
  const entry = env.severity?.trim() || 'info';
  if (!SEVERITIES.includes(entry as AlertSeverity)) {
    return problem(`${DEFAULT_SEVERITY_ENV} must be info, warn or error, got "${entry}"`);
  }
  return receives(entry as EntrySeverity, severity) ? [{ alert: DEFAULT_ALERT_NAME, providerRef: ref }] : [];
}

/** `<namespace>/<name>`, both parts present. */
export function parseProviderRef(value: string): ProviderRef | undefined {
  const parts = value.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}
