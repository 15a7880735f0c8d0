// Whether Prometheus scrapes anything at all, from its targets API (/api/v1/targets): when no active
// target is up, an empty answer says nothing about the canary's traffic. Which target feeds a
// given query cannot be told from the query, so one healthy target is enough to say nothing. Pure.

interface Target {
  health?: unknown;
  lastError?: unknown;
}

/** A sentence for an empty answer when no active target is up; undefined otherwise (or without targets). */
export function scrapeStaleness(activeTargets: unknown): string | undefined {
  if (!Array.isArray(activeTargets) || activeTargets.length === 0) return undefined;
  const targets = activeTargets as Target[];
  if (targets.some((t) => t.health === 'up')) return undefined;
  const unscraped = targets.filter((t) => t.health === 'unknown').length;
  const down = targets.length - unscraped;
  const lastError = targets.map((t) => (typeof t.lastError === 'string' ? t.lastError : '')).find((e) => e !== '');
  const counts = [unscraped > 0 ? `${unscraped} not scraped yet` : '', down > 0 ? `${down} down` : ''].filter(Boolean).join(', ');
  return (
    `Prometheus has no fresh data: none of its ${targets.length} scrape target(s) is up (${counts})` +
    (lastError ? `; last scrape error: ${lastError}` : '')
  );
}
