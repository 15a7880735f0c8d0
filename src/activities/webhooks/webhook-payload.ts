// The JSON Flagger POSTs to every webhook (CanaryWebhookPayload), field for field, so load
// testers, gates and custom receivers written for Flagger read it unchanged.

export interface WebhookPayload {
  /** metadata.name of the Canary. */
  name: string;
  namespace: string;
  /** The Canary's phase the hook runs for (e.g. Progressing, Succeeded, Failed). */
  phase: string;
  /**
   * Identifies the Canary's current revision (Flagger: a hash of lastAppliedSpec and
   * trackedConfigs). Flagger always sends the key, so an absent checksum is sent as "".
   */
  checksum?: string;
  /** The webhook's metadata; event hooks add eventMessage, eventType and timestamp. */
  metadata?: Record<string, string>;
}

/** Flagger's key order and omissions: `checksum` always present, `metadata` only when non-empty. */
export function webhookPayload(
  canary: { name: string; namespace: string },
  phase: string,
  checksum?: string,
  metadata?: Record<string, string>,
): WebhookPayload {
  return {
    name: canary.name,
    namespace: canary.namespace,
    phase,
    checksum: checksum ?? '',
    ...(metadata && Object.keys(metadata).length > 0 && { metadata: { ...metadata } }),
  };
}

/**
 * The body actually sent: the hook's own metadata under the payload's, so a caller that built the
 * payload without metadata still sends the hook's, and event fields cannot be overridden by it.
 */
export function wireBody(payload: WebhookPayload, hookMetadata: Record<string, string>): string {
  const metadata = { ...hookMetadata, ...(payload.metadata ?? {}) };
  return JSON.stringify(webhookPayload(payload, payload.phase, payload.checksum, metadata));
}
