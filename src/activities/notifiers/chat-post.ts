// One POST to a chat service with a hard deadline over the whole exchange, optionally through an
// HTTP(S) proxy. Node's own proxy support (an Agent's `proxyEnv`, Node 24.5+) does the proxying:
// plain HTTP is forwarded, HTTPS is tunnelled with CONNECT.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { type ChatRequest } from './notifier';

export interface ChatReply {
  status: number;
  body: string;
}

/** Enough of an answer for an error message. */
const MAX_BODY_BYTES = 4096;

/** `proxyEnv` on http.Agent arrived in Node 24.5; older versions ignore it and would post directly. */
export function nodeSupportsProxy(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 24 || (major === 24 && minor >= 5);
}

export function postChat(req: ChatRequest, timeoutMs: number, proxy?: URL): Promise<ChatReply> {
  const https = req.url.protocol === 'https:';
  const agent = proxy === undefined ? undefined
    : https ? new HttpsAgent({ proxyEnv: { HTTPS_PROXY: proxy.href } })
      : new HttpAgent({ proxyEnv: { HTTP_PROXY: proxy.href } });
  return new Promise<ChatReply>((resolve, reject) => {
    const send = https ? httpsRequest : httpRequest;
    const r = send(req.url, {
      method: 'POST',
      headers: { ...req.headers, 'Content-Length': Buffer.byteLength(req.body) },
      ...(agent && { agent }),
    });
    const timer = setTimeout(() => r.destroy(new Error(`timed out after ${timeoutMs}ms`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    r.on('error', fail);
    r.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_BODY_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('error', fail);
      res.on('close', () => { if (!res.complete) fail(new Error('answer cut off before its end')); });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY_BYTES) });
      });
    });
    r.end(req.body);
  }).finally(() => agent?.destroy());
}
