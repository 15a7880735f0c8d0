// Deterministic JSON for hashing: object keys sorted, undefined and null dropped (the API server
// omits empty fields, client-node spells them undefined, watch events may spell them null), and
// Dates written the way the API server writes metav1.Time. The same object therefore hashes the
// same whether it came from a typed read or a raw watch event.

export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value)) ?? 'null';
}

function normalize(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (Array.isArray(value)) return value.map((v) => normalize(v) ?? null);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = normalize((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  return value;
}
