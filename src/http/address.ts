// Where the HTTP server listens: PERCH_HTTP_ADDRESS as host:port, parsed for src/config.ts. The
// server is not started when the variable is unset, so tests and scripts that do not ask for it
// bind nothing.

export interface HttpAddress {
  host: string;
  port: number;
}

/** `host:port`, `[v6]:port`, or `:port` for every interface (as Go's and Flagger's -listen-address). */
export function parseHttpAddress(text: string): HttpAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new Error(`PERCH_HTTP_ADDRESS must be host:port (e.g. 0.0.0.0:8080 or 127.0.0.1:9090), got "${text}"`);
  }
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

/** The address from the environment; undefined when PERCH_HTTP_ADDRESS is unset or empty. */
export function httpAddressFromEnv(env: NodeJS.ProcessEnv = process.env): HttpAddress | undefined {
  const text = env.PERCH_HTTP_ADDRESS;
  return text === undefined || text.trim() === '' ? undefined : parseHttpAddress(text);
}
