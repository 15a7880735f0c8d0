// Reading Prometheus's /api/v1/query answer the way Flagger does (pkg/metrics/providers/prometheus.go):
// last sample of a vector wins, NaN or nothing is "no values", a matrix is an error. Pure.
import { type ApplicationFailure } from '@temporalio/common';
import { failure } from '../errors';

interface QueryResponse {
  status?: string;
  data?: { resultType?: string; result?: unknown };
}

/** Not retried: the same query gets the same shape of answer. */
const invalid = (message: string): ApplicationFailure => failure('InvalidQuery', message);

export function parseQueryResult(body: string): number | null {
  let parsed: QueryResponse;
  try {
    parsed = JSON.parse(body) as QueryResponse;
  } catch (err) {
    // Usually a proxy's HTML page in front of Prometheus, which may well go away: retryable.
    throw failure('QueryFailed', `error unmarshaling result: ${(err as Error).message}, '${clip(body)}'`);
  }
  const data = parsed.data ?? {};
  switch (data.resultType) {
    case 'vector': {
      const samples = Array.isArray(data.result) ? data.result : [];
      const last: unknown = samples[samples.length - 1];
      return last === undefined ? null : sampleValue((last as { value?: unknown }).value);
    }
    case 'scalar':
      // Flagger fails to decode a scalar (e.g. `scalar(x)` or `1`); its value is as good as a sample.
      return sampleValue(data.result);
    case 'matrix':
      if (Array.isArray(data.result) && data.result.length === 0) return null;
      throw invalid('query returned multiple values');
    default:
      throw invalid(`query returned a ${data.resultType ?? 'missing'} result, not an instant vector`);
  }
}

/**
 * `[timestamp, "value"]`. Infinities are clamped to ±Number.MAX_VALUE because JSON, and with it
 * Temporal's payloads, turns Infinity into null, which would read as "no values"; a clamped
 * +Inf latency (every request beyond the largest bucket) still fails any maximum.
 */
function sampleValue(pair: unknown): number | null {
  const raw: unknown = Array.isArray(pair) ? pair[1] : undefined;
  if (typeof raw !== 'string') throw invalid(`unexpected sample ${clip(JSON.stringify(pair) ?? '')}`);
  if (raw === '+Inf') return Number.MAX_VALUE;
  if (raw === '-Inf') return -Number.MAX_VALUE;
  const value = Number(raw);
  return Number.isNaN(value) ? null : value;
}

/** Bodies end up in Events and workflow history: keep them short. */
export function clip(text: string, max = 1024): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
