// The one way Perch calls HTTP services (webhooks, chat alerts, Prometheus): one request with a
// hard deadline over the whole exchange, a bounded answer, and failures before any answer as a
// TransportError with Node's code. It lives in a folder of its own because several concerns share
// it and none owns it.
// node:http rather than fetch: fetch can neither skip TLS verification (a hook's disableTLS, a
// MetricTemplate's insecureSkipVerify) nor use a proxy (an AlertProvider's spec.proxy) per request
// without an extra dependency.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { OWN_ENDPOINT, type ReachGuard } from './own-endpoints';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  /** A header given as a list is sent once per value. */
  headers: Readonly<Record<string, string | readonly string[]>>;
  /** POST only. */
  body?: string;
}

export interface HttpReply {
  status: number;
  /** The start of the answer, at most `maxBodyBytes` of it. */
  body: string;
  /** Retry-After in ms, when the server sent one in seconds. */
  retryAfterMs?: number;
}

export interface HttpOptions {
  /** Deadline over connecting, sending and reading the whole answer. */
  timeoutMs: number;
  /** Enough of an answer for a message; a server answering megabytes is not read to the end. */
  maxBodyBytes?: number;
  /** Skip TLS certificate verification (https only). */
  insecure?: boolean;
  /** An HTTP(S) proxy: plain HTTP is forwarded, HTTPS tunnelled with CONNECT. Check nodeSupportsProxy() first. */
  proxy?: URL | undefined;
  /** Addresses the request may not reach (the worker's own endpoints); checked before connecting. */
  reach?: ReachGuard;
}

/** A failure before any complete HTTP answer; `code` is Node's (ENOTFOUND, ECONNREFUSED, ETIMEDOUT, ...). */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** `proxyEnv` on http.Agent arrived in Node 24.5; older versions ignore it and would post directly. */
export function nodeSupportsProxy(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 24 || (major === 24 && minor >= 5);
}

/** Sends one request; a complete answer of any status resolves, anything short of one rejects. */
export async function send(req: HttpRequest, options: HttpOptions): Promise<HttpReply> {
  for (const url of options.reach ? [req.url, ...(options.proxy ? [options.proxy] : [])] : []) {
    const refused = await options.reach?.refusal(url);
    if (refused !== undefined) throw new TransportError(refused, OWN_ENDPOINT);
  }
  return exchange(req, options);
}

function exchange(req: HttpRequest, options: HttpOptions): Promise<HttpReply> {
  const { timeoutMs, maxBodyBytes = DEFAULT_MAX_BODY_BYTES, insecure = false } = options;
  const https = req.url.protocol === 'https:';
  const agent = proxyAgent(options.proxy, https);
  const body = req.body ?? '';
  return new Promise<HttpReply>((resolve, reject) => {
    const open = https ? httpsRequest : httpRequest;
    const r = open(req.url, {
      method: req.method,
      headers: { ...req.headers, ...(req.method === 'POST' && { 'Content-Length': Buffer.byteLength(body) }) },
      ...(https && { rejectUnauthorized: !insecure }),
      ...(agent && { agent }),
    });
    const timer = setTimeout(() => r.destroy(new TransportError(`timeout after ${timeoutMs}ms`, 'ETIMEDOUT')), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      const code = (err as { code?: unknown }).code;
      reject(err instanceof TransportError ? err : new TransportError(err.message, typeof code === 'string' ? code : 'EUNKNOWN'));
    };
    r.on('error', fail);
    r.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < maxBodyBytes) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('error', fail);
      // Destroyed mid-answer (the deadline, or the server hung up): 'close' without 'end'.
      res.on('close', () => {
        if (!res.complete) fail(new TransportError('response cut off before its end', 'ECONNRESET'));
      });
      res.on('end', () => {
        clearTimeout(timer);
        const retryAfter = Number(res.headers['retry-after']);
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8').slice(0, maxBodyBytes),
          ...(Number.isFinite(retryAfter) && retryAfter >= 0 && { retryAfterMs: retryAfter * 1000 }),
        });
      });
    });
    r.end(req.method === 'POST' ? body : undefined);
  }).finally(() => agent?.destroy());
}

/** A fresh agent per request: it is only ever used once, and destroying it closes the tunnel. */
function proxyAgent(proxy: URL | undefined, https: boolean): HttpAgent | undefined {
  if (proxy === undefined) return undefined;
  return https ? new HttpsAgent({ proxyEnv: { HTTPS_PROXY: proxy.href } }) : new HttpAgent({ proxyEnv: { HTTP_PROXY: proxy.href } });
}
