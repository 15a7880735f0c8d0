// Keeps requests made on a Canary's behalf (webhooks, alert providers, MetricTemplate addresses) off
// the worker's own HTTP endpoints: /healthz, /readyz, /metrics on PERCH_HTTP_ADDRESS and the SDK's
// metrics port on loopback. The name is resolved and every address it gives is compared, so
// `localhost`, the pod's own IP or a name resolving to either is refused like 127.0.0.1.
// A Service in front of the worker is not recognised (its ClusterIP is not the pod's); a
// NetworkPolicy on the worker's egress remains the control for that.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { type HttpAddress } from '../../http/address';

/** Error code of a refused request; not retried, as a retry cannot change the answer. */
export const OWN_ENDPOINT = 'EOWNENDPOINT';

export interface ReachGuard {
  /** Why `url` may not be requested, or undefined when it may. */
  refusal(url: URL): Promise<string | undefined>;
}

/** Refuses nothing: PERCH_ALLOW_OWN_ENDPOINTS=true, no HTTP server, or a test. */
export const OPEN: ReachGuard = { refusal: () => Promise.resolve(undefined) };

export function ownEndpointsGuard(own: readonly HttpAddress[]): ReachGuard {
  if (own.length === 0) return OPEN;
  return {
    async refusal(url: URL) {
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      const listening = own.filter((a) => a.port === port);
      if (listening.length === 0) return undefined;
      const host = url.hostname.replace(/^\[|\]$/g, '');
      let addresses: string[];
      try {
        addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
      } catch {
        return undefined; // the request itself reports the name that does not resolve
      }
      const hit = addresses.find((address) => listening.some((a) => serves(a.host, address)));
      if (hit === undefined) return undefined;
      return `${url.host} (${hit}) is Perch's own HTTP endpoint (PERCH_HTTP_ADDRESS, health and metrics): requests from Canaries may not reach it unless PERCH_ALLOW_OWN_ENDPOINTS=true`;
    },
  };
}

/** Whether a server listening on `listen` answers a connection to `address` of this host. */
function serves(listen: string, address: string): boolean {
  const target = normal(address);
  if (listen === '' || listen === '0.0.0.0' || listen === '::') return isLocal(target);
  return normal(listen) === target || (listen === 'localhost' && isLoopback(target));
}

function isLocal(address: string): boolean {
  if (isLoopback(address) || address === '0.0.0.0' || address === '::') return true;
  return Object.values(networkInterfaces()).some((list) => (list ?? []).some((i) => normal(i.address) === address));
}

function isLoopback(address: string): boolean {
  return address === '::1' || address === 'localhost' || /^127\./.test(address);
}

/** IPv4-mapped IPv6 (::ffff:127.0.0.1, or ::ffff:7f00:1 as URL writes it) as IPv4; zone ids dropped. */
function normal(address: string): string {
  const a = address.replace(/%.*$/, '').toLowerCase();
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1] ?? '0', 16), parseInt(hex[2] ?? '0', 16)];
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  return a.replace(/^::ffff:/, '');
}
