// Plain HTTP for tests, with a Host header of our choosing (fetch does not allow one).
import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 32 });

export interface Reply {
  status: number;
  body: string;
}

export function httpRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** GET of an in-cluster URL (http://<service>.<namespace>/...) through the simulator's cluster proxy. */
export function viaClusterProxy(proxy: string, url: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const p = new URL(proxy);
    const req = request({ hostname: p.hostname, port: p.port, path: url, headers: { host: new URL(url).host }, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: '' }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs `count` calls of `fn` with at most `concurrency` in flight; results in call order. */
export async function inParallel<T>(count: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await fn(i);
      }
    }),
  );
  return results;
}
