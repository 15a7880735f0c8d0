// MetricsProvider for Prometheus: GET <address>/api/v1/query with Flagger's 5s timeout and the
// query whitespace-collapsed as Flagger sends it.
import { ApplicationFailure } from '@temporalio/common';
import { type MetricsProvider } from './metrics-provider';
import { clip, parseQueryResult } from './prometheus-result';

const QUERY_TIMEOUT_MS = 5000;
const ONLINE_QUERY = 'vector(1)';

export interface PrometheusOptions {
  address: string;
  timeoutMs?: number;
  /** e.g. Authorization for a MetricTemplate's secretRef credentials. */
  headers?: Record<string, string>;
}

export class PrometheusProvider implements MetricsProvider {
  private readonly base: URL;

  constructor(private readonly options: PrometheusOptions) {
    try {
      this.base = new URL(options.address);
    } catch {
      throw ApplicationFailure.nonRetryable(`prometheus address ${options.address} is not a valid URL`, 'InvalidCanary');
    }
  }

  async runQuery(query: string): Promise<number | null> {
    const url = this.queryUrl(query);
    const timeoutMs = this.options.timeoutMs ?? QUERY_TIMEOUT_MS;
    let res: Response;
    try {
      res = await fetch(url, { headers: this.options.headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw ApplicationFailure.retryable(`request failed: GET ${url.origin}${url.pathname}: ${transportError(err, timeoutMs)}`, 'PrometheusUnavailable');
    }
    const body = await res.text();
    if (res.status >= 400) throw httpFailure(res, body);
    return parseQueryResult(body);
  }

  async isOnline(): Promise<boolean> {
    return (await this.runQuery(ONLINE_QUERY)) === 1;
  }

  /** The address's own path is kept (Prometheus behind a path prefix, e.g. /prometheus). */
  private queryUrl(query: string): URL {
    const url = new URL(this.base.href);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/query`;
    url.search = '';
    url.searchParams.set('query', query.replace(/\s+/g, ' '));
    return url;
  }
}

/**
 * A query Prometheus cannot parse (400 bad_data) fails the same way every time: not retryable,
 * with Prometheus's own explanation. Other errors keep Flagger's text and may pass on a retry.
 */
function httpFailure(res: Response, body: string): ApplicationFailure {
  const error = prometheusError(body);
  if (res.status === 400 && error?.errorType === 'bad_data') {
    return ApplicationFailure.nonRetryable(error.error, 'InvalidQuery', { status: res.status, body: clip(body) });
  }
  return ApplicationFailure.retryable(`error response: Status ${res.status} ${res.statusText}: ${clip(body)}`, 'QueryFailed');
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

/** fetch hides the reason in `cause` ("fetch failed" alone says nothing). */
function transportError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `timeout after ${timeoutMs}ms`;
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.message) return cause.code && !cause.message.includes(cause.code) ? `${cause.code} ${cause.message}` : cause.message;
  return err instanceof Error ? err.message : String(err);
}
