// Bounded background traffic through the simulated Envoy, like the seed's `hey -c 5 -q 5 ...`.
import { httpRequest } from './http';
import { stack } from './stack';

export interface Traffic {
  stop(): Promise<number>;
}

/** Sends GET `path` with Host `host` at about `rps` requests per second until stopped (max 10 min). */
export function startTraffic(host: string, path: string, rps: number): Traffic {
  let running = true;
  let sent = 0;
  const deadline = Date.now() + 10 * 60_000;
  const loop = (async () => {
    while (running && Date.now() < deadline) {
      const tick = Date.now();
      await Promise.all(
        Array.from({ length: rps }, () =>
          httpRequest(`${stack().envoyListener}${path}`, { headers: { host } }).then(
            () => {
              sent++;
            },
            () => undefined,
          ),
        ),
      );
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - tick))));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return sent;
    },
  };
}
