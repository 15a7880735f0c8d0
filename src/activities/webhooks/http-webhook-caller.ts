// WebhookCaller over HTTP with Flagger's rules (hashicorp retryablehttp under Flagger): status
// > 202 fails; connection errors and 5xx except 501 are retried `retries` times with exponential
// backoff; exhausted retries read "POST <url> giving up after N attempt(s)".
import { type WebhookSettings } from '../../api/canary-settings';
import { OPEN, OWN_ENDPOINT, type ReachGuard } from '../http/own-endpoints';
import { type HttpReply, send, TransportError } from '../http/request';
import { type WebhookCaller, type WebhookResult } from './webhook-caller';
import { type WebhookPayload, wireBody } from './webhook-payload';

/** retryablehttp's defaults: 1s doubling, at most 30s between attempts. */
const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 30_000;
/**
 * No retry starts after this much time: the activity running the call has a fixed timeout, and a
 * hook's `retries: 50` must end in Flagger's give-up text, not in an activity timeout.
 */
const RETRY_BUDGET_MS = 10 * 60_000;
/** Messages travel in Events and workflow history; a hook's HTML error page need not. */
const MAX_MESSAGE = 4096;

export class HttpWebhookCaller implements WebhookCaller {
  constructor(
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly reach: ReachGuard = OPEN,
  ) {}

  async call(hook: WebhookSettings, payload: WebhookPayload): Promise<WebhookResult> {
    let url: URL;
    try {
      url = new URL(hook.url);
    } catch {
      return { ok: false, status: 0, message: `parse "${hook.url}": invalid URL` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { ok: false, status: 0, message: `POST ${hook.url}: unsupported protocol scheme "${url.protocol.replace(/:$/, '')}"` };
    }
    const body = wireBody(payload, hook.metadata);
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      const reply = await this.attempt(url, body, hook);
      const lastAttempt = attempt > hook.retries || Date.now() - started > RETRY_BUDGET_MS;
      if (reply instanceof TransportError) {
        if (lastAttempt || !retryableTransport(reply)) return giveUp(hook.url, attempt, 0, reply.message);
        await this.sleep(backoff(attempt, undefined));
        continue;
      }
      if (reply.status <= 202) return { ok: true, status: reply.status, message: clip(reply.body) };
      if (!retryableStatus(reply.status)) return { ok: false, status: reply.status, message: clip(reply.body) };
      if (lastAttempt) return giveUp(hook.url, attempt, reply.status, reply.body.trim() || `HTTP ${reply.status}`);
      await this.sleep(backoff(attempt, reply.retryAfterMs));
    }
  }

  private async attempt(url: URL, body: string, hook: WebhookSettings): Promise<HttpReply | TransportError> {
    try {
      return await send(
        { method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body },
        { timeoutMs: hook.timeoutMs, insecure: hook.disableTLS, reach: this.reach },
      );
    } catch (err) {
      return err instanceof TransportError ? err : new TransportError(String(err), 'EUNKNOWN');
    }
  }
}

/**
 * Flagger's give-up text, followed by the reason it hides: the last body or connection error
 * (a failing load-tester command answers 500 with the command's output, worth seeing).
 */
function giveUp(url: string, attempts: number, status: number, reason: string): WebhookResult {
  return { ok: false, status, message: clip(`POST ${url} giving up after ${attempts} attempt(s): ${reason}`) };
}

/** retryablehttp retries 429 and 5xx except 501 Not Implemented, which no retry changes. */
function retryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

/** Certificate errors repeat on every attempt; retryablehttp does not retry them either. */
const TLS_ERRORS = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Unlike retryablehttp, a name that does not resolve is not retried either: in a cluster it is a
 * typo or a missing Service, and waiting out the backoff would only delay the verdict.
 */
function retryableTransport(err: TransportError): boolean {
  return err.code !== 'ENOTFOUND' && err.code !== OWN_ENDPOINT && !TLS_ERRORS.has(err.code);
}

function backoff(attempt: number, retryAfterMs: number | undefined): number {
  const exponential = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (attempt - 1));
  return Math.min(BACKOFF_MAX_MS, retryAfterMs ?? exponential);
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}
