// Flagger finds "the app" through one selector label of the target Deployment, and tells the
// primary's pods apart by suffixing that label's value with `-primary`.
import type * as k8s from '@kubernetes/client-node';
import { withoutToolkitKeys } from './metadata';

/** Flagger's default `-selector-labels`, in order of preference. */
export const SELECTOR_LABELS: readonly string[] = ['app', 'name', 'app.kubernetes.io/name'];

export interface SelectorLabel {
  key: string;
  value: string;
}

export function selectorLabelOf(deployment: k8s.V1Deployment): SelectorLabel | undefined {
  const match = deployment.spec?.selector.matchLabels ?? {};
  for (const key of SELECTOR_LABELS) {
    const value = match[key];
    if (value !== undefined) return { key, value };
  }
  return undefined;
}

/** Flagger's wording, so operators searching for it find Flagger's documentation. */
export const missingSelectorLabel = (name: string, namespace: string): string =>
  `deployment ${name}.${namespace} spec.selector.matchLabels must contain one of [${SELECTOR_LABELS.join(' ')}]`;

export const primaryLabelValue = (value: string): string => `${value}-primary`;

/** `labels` (Flux ownership keys dropped) with the selector label set to `value`. */
export function withSelectorValue(labels: Record<string, string> | undefined, key: string, value: string): Record<string, string> {
  return { ...withoutToolkitKeys(labels), [key]: value };
}
