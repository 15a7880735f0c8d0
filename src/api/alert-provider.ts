// Flagger's AlertProvider (flagger.app/v1beta1): a chat webhook that Canary alerts are sent to.
import { type ObjectMeta } from './canary';

export const ALERT_PROVIDER_KIND = 'AlertProvider';
export const ALERT_PROVIDER_PLURAL = 'alertproviders';

export const ALERT_PROVIDER_TYPES = ['slack', 'msteams', 'discord', 'rocket', 'gchat'] as const;
export type AlertProviderType = (typeof ALERT_PROVIDER_TYPES)[number];

/** Flagger's fallbacks when `channel` / `username` are not set. */
export const DEFAULT_ALERT_CHANNEL = 'general';
export const DEFAULT_ALERT_USERNAME = 'flagger';

export interface AlertProviderSpec {
  type: AlertProviderType;
  channel?: string;
  username?: string;
  /** Webhook URL; a `secretRef` secret's `address` key takes its place. */
  address?: string;
  proxy?: string;
  /** Secret with key `address` (required) and optionally `token` (Slack bearer token). */
  secretRef?: { name: string };
}

export interface AlertProvider {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: AlertProviderSpec;
}
