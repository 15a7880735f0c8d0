// One JSON POST with a hard deadline over the whole exchange. node:http rather than fetch: fetch
// cannot skip TLS verification per request (the hook's disableTLS) without an extra dependency.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface PostReply {
  status: number;
  body: string;
  /** Retry-After in ms, when the server sent one in seconds. */
  retryAfterMs?: number;
}

/** A failure before any HTTP answer; `code` is Node's (ENOTFOUND, ECONNREFUSED, ETIMEDOUT, ...). */
export class TransportError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Enough of a body for a message; a hook answering megabytes is not read to the end. */
const MAX_BODY_BYTES = 64 * 1024;

export function postJson(url: URL, body: string, timeoutMs: number, insecure: boolean): Promise<PostReply> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      ...(url.protocol === 'https:' && { rejectUnauthorized: !insecure }),
    });
    const timer = setTimeout(() => {
      req.destroy(new TransportError(`timeout after ${timeoutMs}ms`, 'ETIMEDOUT'));
    }, timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      const code = (err as { code?: unknown }).code;
      reject(err instanceof TransportError ? err : new TransportError(err.message, typeof code === 'string' ? code : 'EUNKNOWN'));
    };
    req.on('error', fail);
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_BODY_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('error', fail);
      // Destroyed mid-body (the deadline): 'close' without 'end'.
      res.on('close', () => { if (!res.complete) fail(new TransportError(`response cut off before its end`, 'ECONNRESET')); });
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY_BYTES);
        const retryAfter = Number(res.headers['retry-after']);
        resolve({
          status: res.statusCode ?? 0,
          body: text,
          ...(Number.isFinite(retryAfter) && retryAfter >= 0 && { retryAfterMs: retryAfter * 1000 }),
        });
      });
    });
    req.end(body);
  });
}
