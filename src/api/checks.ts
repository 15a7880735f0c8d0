// Small predicates shared by the validators.
import { parseDurationMs } from './duration';

/** A resource as it may arrive from outside: any field, however required, can be missing. */
export type DeepPartial<T> = T extends (infer U)[] ? DeepPartial<U>[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

export function checkDuration(path: string, value: string | undefined): string[] {
  if (value === undefined || parseDurationMs(value) !== undefined) return [];
  return [`${path} ${quote(value)} is not a duration (write it like 30s, 1m or 1m30s)`];
}

/** Absolute http(s) URL with a host; Flagger posts webhooks and alerts with plain HTTP clients. */
export function isHttpUrl(text: string): boolean {
  return /^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i.test(text);
}

/** A value written by the user, quoted for a message; a huge one is cut, so the message stays readable. */
export function quote(value: string): string {
  return `"${value.length > 80 ? `${value.slice(0, 80)}…` : value}"`;
}
