// Flagger finds "the app" through one selector label of the target Deployment, and tells the
// primary's pods apart by suffixing that label's value with `-primary`.
import { withoutToolkitKeys } from './metadata';
import { DEFAULT_SELECTOR_LABELS } from './target-flags';

export interface SelectorLabel {
  key: string;
  value: string;
}

/** A Deployment's or DaemonSet's selector label: the first of `labels` (`-selector-labels`) it selects by. */
export function selectorLabelOf(
  workload: { spec?: { selector: { matchLabels?: Record<string, string> } } },
  labels: readonly string[] = DEFAULT_SELECTOR_LABELS,
): SelectorLabel | undefined {
  const match = workload.spec?.selector.matchLabels ?? {};
  for (const key of labels) {
    const value = match[key];
    if (value !== undefined) return { key, value };
  }
  return undefined;
}

/** Flagger's wording, so operators searching for it find Flagger's documentation. */
export const missingSelectorLabel = (
  name: string,
  namespace: string,
  labels: readonly string[] = DEFAULT_SELECTOR_LABELS,
  kind = 'Deployment',
): string => `${kind.toLowerCase()} ${name}.${namespace} spec.selector.matchLabels must contain one of [${labels.join(' ')}]`;

export const primaryLabelValue = (value: string): string => `${value}-primary`;

/** `labels` (Flux ownership keys dropped) with the selector label set to `value`. */
export function withSelectorValue(labels: Record<string, string> | undefined, key: string, value: string): Record<string, string> {
  return { ...withoutToolkitKeys(labels), [key]: value };
}
