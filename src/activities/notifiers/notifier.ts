// The seam between an alert and a chat service (Flagger's notifier.Interface). A Notifier is pure:
// it turns one alert into the HTTP request its service expects; sendAlert sends it (src/activities/http/request.ts).
import { type AlertSeverity } from '../../rollout/messages';

/** One name/value pair shown under the message (Slack fields, Teams facts, Google Chat widgets). */
export interface AlertField {
  name: string;
  value: string;
}

export interface ChatAlert {
  /** The Canary, shown as `<name>.<namespace>` (Flagger's "workload"). */
  name: string;
  namespace: string;
  message: string;
  fields: AlertField[];
  severity: AlertSeverity;
}

/** Where and as whom to post: the AlertProvider with its Secret and defaults resolved. */
export interface ChatTarget {
  address: URL;
  channel: string;
  username: string;
  /** Slack bearer token, from the Secret's `token` key. */
  token?: string;
}

export interface ChatRequest {
  url: URL;
  headers: Record<string, string>;
  body: string;
}

export interface Notifier {
  request(alert: ChatAlert, target: ChatTarget): ChatRequest;
  /**
   * Why a 2xx answer still means "not posted", if it does: Slack's Web API answers 200 with
   * `{"ok":false}`. Undefined when the answer is a success.
   */
  rejection?(body: string): string | undefined;
}

export const JSON_HEADERS: Readonly<Record<string, string>> = { 'Content-Type': 'application/json' };

/** `<name>.<namespace>`, the way every Flagger notifier names the Canary. */
