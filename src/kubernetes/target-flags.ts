// Flagger's controller flags that change how a target is read and what is derived from it, as one
// value the entry points build from the environment (src/config.ts) and hand down.
import { TOOLKIT_MARKER } from './metadata';

export interface TargetFlags {
  /** `-selector-labels`: the target's selector label is the first of these it has. */
  selectorLabels: readonly string[];
  /** `-include-label-prefix`: target labels with one of these prefixes (`*`: all) are copied to the primary and its configs. */
  includeLabelPrefix: readonly string[];
  /** `-enable-config-tracking`: ConfigMaps and Secrets the pod template reads are part of the revision and copied to `-primary`. */
  configTracking: boolean;
}

/** Flagger's defaults. */
export const DEFAULT_SELECTOR_LABELS: readonly string[] = ['app', 'name', 'app.kubernetes.io/name'];

export const DEFAULT_TARGET_FLAGS: TargetFlags = { selectorLabels: DEFAULT_SELECTOR_LABELS, includeLabelPrefix: [], configTracking: true };

/** The labels whose key has one of the prefixes (`*` matches every key); Flux's ownership keys never. */
export function includeByPrefix(labels: Record<string, string> | undefined, prefixes: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (key.includes(TOOLKIT_MARKER)) continue;
    if (prefixes.some((p) => p === '*' || (p !== '' && key.startsWith(p)))) out[key] = value;
  }
  return out;
}
