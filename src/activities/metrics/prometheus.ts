// MetricsProvider for Prometheus (Flagger's pkg/metrics/providers/prometheus.go): GET
// <address>/api/v1/query with Flagger's 5 s timeout, the query whitespace-collapsed as Flagger sends
// it, the template's headers, bearer or basic credentials from its Secret, and insecureSkipVerify.
import { STATUS_CODES } from 'node:http';
import { formatGoDurationMs } from '../../rollout/go-format';
import { failure } from '../errors';
import { OPEN, type ReachGuard } from '../http/own-endpoints';
import { type HttpReply, send, TransportError } from '../http/request';
import { type MetricsProvider, type ProviderSpec, type QueryWindow } from './metrics-provider';
import { clip, parseQueryResult } from './prometheus-result';
import { scrapeStaleness } from './prometheus-staleness';

const QUERY_TIMEOUT_MS = 5000;
/** A large instant vector is still a few MB; a body beyond this is cut and fails to parse. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export class PrometheusProvider implements MetricsProvider {
  private readonly base: URL;
  private readonly headers: Record<string, string[]>;

  constructor(
    private readonly spec: ProviderSpec,
    private readonly timeoutMs = QUERY_TIMEOUT_MS,
    private readonly reach: ReachGuard = OPEN,
  ) {
    try {
      this.base = new URL(spec.address);
    } catch {
      throw new Error(`${spec.type} address ${spec.address} is not a valid URL`);
    }
    this.headers = { ...Object.fromEntries(Object.entries(spec.headers).map(([k, v]) => [k, [...v]])), ...authorization(spec) };
  }

  async runQuery(query: string): Promise<number | null> {
    const reply = await this.get('/api/v1/query', { query: query.replace(/\s+/g, ' ') });
    if (reply.status >= 400) throw httpFailure(reply);
    return parseQueryResult(reply.body);
  }

  /** Flagger's test: `vector(1)` must answer 1. */
  async isOnline(): Promise<void> {
    const value = await this.runQuery('vector(1)');
    if (value !== 1) throw new Error(`Prometheus at ${this.base.origin} answered ${String(value)} to vector(1), not 1`);
  }

  /**
   * Asks Prometheus about itself: when it started (/api/v1/status/runtimeinfo) and how its scrapes
   * go (/api/v1/targets). A Prometheus that cannot answer those (an older one, or a Thanos or Mimir
   * query frontend) is taken to be healthy.
   */
  async staleness(window: QueryWindow): Promise<string | undefined> {
    const [runtime, targets] = await Promise.all([this.json('/api/v1/status/runtimeinfo'), this.json('/api/v1/targets', { state: 'active' })]);
    const startTime = field(runtime, 'startTime');
    const started = typeof startTime === 'string' ? Date.parse(startTime) : NaN;
    const uptimeMs = Date.now() - started;
    if (Number.isFinite(started) && uptimeMs >= 0 && uptimeMs < window.ms) {
      return (
        `Prometheus has no fresh data: it started ${formatGoDurationMs(Math.round(uptimeMs / 1000) * 1000)} ago, ` +
        `less than the metric's interval ${window.text}`
      );
    }
    return scrapeStaleness(field(targets, 'activeTargets'));
  }

  private async json(path: string, params: Record<string, string> = {}): Promise<unknown> {
    try {
      const reply = await this.get(path, params);
      return reply.status === 200 ? field(JSON.parse(reply.body), 'data') : undefined;
    } catch {
      return undefined;
    }
  }

  /** The address's own path is kept (Prometheus behind a path prefix, e.g. /prometheus). */
  private async get(path: string, params: Record<string, string>): Promise<HttpReply> {
    const url = new URL(this.base.href);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
    url.search = new URLSearchParams(params).toString();
    try {
      return await send(
        { method: 'GET', url, headers: this.headers },
        { timeoutMs: this.timeoutMs, maxBodyBytes: MAX_BODY_BYTES, insecure: this.spec.insecureSkipVerify, reach: this.reach },
      );
    } catch (err) {
      const reason = err instanceof TransportError && err.code === 'ETIMEDOUT' ? `timeout after ${this.timeoutMs}ms` : errorText(err);
      throw failure('PrometheusUnavailable', `request failed: GET ${url.origin}${url.pathname}: ${reason}`);
    }
  }
}

/**
 * Flagger's rule: a Secret's `token` is sent as a bearer token, else `username` and `password`
 * (both required) as basic auth. It replaces an Authorization header the template sets.
 */
function authorization(spec: ProviderSpec): Record<string, string[]> {
  const { credentials } = spec;
  if (Object.keys(credentials).length === 0) return {};
  if (credentials.token) return { Authorization: [`Bearer ${credentials.token}`] };
  if (!credentials.username) throw new Error(`${spec.type} credentials does not contain a username`);
  if (!credentials.password) throw new Error(`${spec.type} credentials does not contain a password`);
  return { Authorization: [`Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`] };
}

/**
 * A query Prometheus cannot parse (400 bad_data) fails the same way every time: not retryable,
 * with Prometheus's own explanation. Other errors keep Flagger's text and may pass on a retry.
 */
function httpFailure(reply: HttpReply): Error {
  const error = prometheusError(reply.body);
  if (reply.status === 400 && error?.errorType === 'bad_data') {
    return failure('InvalidQuery', error.error, { status: reply.status, body: clip(reply.body) });
  }
  return failure('QueryFailed', `error response: Status ${reply.status} ${STATUS_CODES[reply.status] ?? ''}: ${clip(reply.body)}`);
}

function prometheusError(body: string): { errorType: string; error: string } | undefined {
  try {
    const parsed = JSON.parse(body) as { errorType?: unknown; error?: unknown };
    if (typeof parsed.errorType === 'string' && typeof parsed.error === 'string') return { errorType: parsed.errorType, error: parsed.error };
  } catch {
    // Not Prometheus's JSON error: reported with the raw body.
  }
  return undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function errorText(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}
