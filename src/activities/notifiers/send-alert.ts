// The sendAlert activity: posts one rollout alert to every AlertProvider that should receive it.
// Alerts are a side channel: whatever goes wrong (no provider, no secret, a dead webhook) becomes a
// failed delivery and a log line, never an error that could hold up or fail the rollout.
import { type CanaryPhase } from '../../api/canary';
import { type CanarySettings } from '../../api/canary-settings';
import { log } from '../../log';
import { type AlertSeverity } from '../../rollout/messages';
import { withHeartbeat } from '../context';
import { type KubeClients } from '../../kubernetes/client';
import { type ReachGuard } from '../http/own-endpoints';
import { nodeSupportsProxy, send } from '../http/request';
import { alertFields } from './fields';
import { type ChatAlert } from './notifier';
import { resolveProvider } from './provider-config';
import { redact } from './redact';
import { alertRoutes, type DefaultAlertProvider, type Route } from './routing';
import { qualifiedName } from '../../rollout/names';

export interface SendAlertInput {
  /** No secrets in it: addresses and tokens are read from the AlertProviders at send time. */
  settings: CanarySettings;
  phase: CanaryPhase;
  severity: AlertSeverity;
  /** e.g. "Failed checks threshold reached 1". */
  message: string;
  /** Extra explanation (e.g. the failing check), shown as the field "Detail". */
  detail?: string;
}

/** One attempt to post to one provider. Goes into workflow history: it names no address or token. */
export interface AlertDelivery {
  /** The Canary's alert entry (`default` for the default provider). */
  alert: string;
  /** `<name>.<namespace>` of the AlertProvider. */
  provider: string;
  ok: boolean;
  error?: string;
}

export const ALERT_POST_TIMEOUT_MS = 10_000;

export interface AlertDependencies {
  /** AlertProviders and their Secrets. */
  kube: KubeClients;
  /** PERCH_DEFAULT_ALERT_PROVIDER, for Canaries without alert entries. */
  defaultProvider?: DefaultAlertProvider;
  /** PERCH_CLUSTER_NAME: the first field of every alert, "Cluster". */
  clusterName?: string;
  /** The worker's own endpoints, which an AlertProvider's address may not reach. */
  reach?: ReachGuard;
}

export async function sendAlert(deps: AlertDependencies, input: SendAlertInput): Promise<AlertDelivery[]> {
  const routes = alertRoutes(input.settings.analysis.alerts, input.severity, deps.defaultProvider);
  if (routes.length === 0) return [];
  const alert: ChatAlert = {
    name: input.settings.name,
    namespace: input.settings.namespace,
    message: input.message,
    fields: alertFields(input.settings, input.detail, deps.clusterName),
    severity: input.severity,
  };
  const deliveries = await withHeartbeat(() => Promise.all(routes.map((r) => deliver(deps.kube, r, alert, deps.reach))));
  deliveries.forEach((d) => report(d, input));
  return deliveries;
}

async function deliver(kube: KubeClients, route: Route, alert: ChatAlert, reach: ReachGuard | undefined): Promise<AlertDelivery> {
  if ('problem' in route) return { alert: route.alert, provider: route.provider, ok: false, error: route.problem };
  const provider = qualifiedName(route.providerRef);
  const failed = (error: string, secrets: readonly string[]): AlertDelivery => ({
    alert: route.alert,
    provider,
    ok: false,
    error: redact(error, secrets),
  });
  let secrets: string[] = [];
  try {
    const resolved = await resolveProvider(kube, route.providerRef);
    secrets = resolved.secrets;
    if (!resolved.ok) return failed(resolved.error, secrets);
    const { notifier, target, proxy } = resolved.provider;
    const id = `alert provider ${provider}`;
    let proxyUrl: URL | undefined;
    if (proxy !== undefined) {
      if (!nodeSupportsProxy()) return failed(`${id}: spec.proxy needs Node.js 24.5 or later, this is ${process.versions.node}`, secrets);
      proxyUrl = proxyAddress(proxy);
      if (proxyUrl === undefined) return failed(`${id}: spec.proxy is not an http(s) URL`, secrets);
    }
    const request = notifier.request(alert, target);
    const via = `POST to ${request.url.host}${proxyUrl ? ' through the proxy' : ''}`;
    let reply;
    try {
      // A chat answer is only read for an error or Slack's ok:false.
      reply = await send(
        { method: 'POST', ...request },
        { timeoutMs: ALERT_POST_TIMEOUT_MS, maxBodyBytes: 4096, proxy: proxyUrl, ...(reach && { reach }) },
      );
    } catch (err) {
      return failed(`${id}: ${via} failed: ${err instanceof Error ? err.message : String(err)}`, secrets);
    }
    if (reply.status < 200 || reply.status > 299) {
      const body = reply.body.trim();
      return failed(`${id}: ${via} answered HTTP ${reply.status}${body ? `: ${body}` : ''}`, secrets);
    }
    const rejected = notifier.rejection?.(reply.body);
    if (rejected !== undefined) return failed(`${id}: ${via}: ${rejected}`, secrets);
    return { alert: route.alert, provider, ok: true };
  } catch (err) {
    // A bug or an unexpected client failure: still only a failed delivery.
    return failed(`alert provider ${provider}: ${err instanceof Error ? err.message : String(err)}`, secrets);
  }
}

/** A proxy written without a scheme ("proxy.corp:3128", as Flagger's docs show) is plain HTTP. */
function proxyAddress(proxy: string): URL | undefined {
  for (const text of [proxy, `http://${proxy}`]) {
    try {
      const url = new URL(text);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname) return url;
    } catch {
      // try the next spelling
    }
  }
  return undefined;
}

function report(d: AlertDelivery, input: SendAlertInput): void {
  const fields = {
    canary: qualifiedName(input.settings),
    alert: d.alert,
    provider: d.provider,
    severity: input.severity,
    phase: input.phase,
  };
  if (d.ok) log('info', `alert sent: ${input.message}`, fields);
  else log('error', `alert can't be sent: ${d.error ?? 'unknown error'}`, fields);
}
