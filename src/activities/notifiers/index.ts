// Alerts: the activity. The payload builders and routing are pure and can be imported from their own files.
import { using } from '../bind';
import { type AlertDependencies, sendAlert } from './send-alert';

export { type AlertDelivery, type AlertDependencies, type SendAlertInput } from './send-alert';

export function alertActivities(deps: AlertDependencies) {
  return { sendAlert: using(deps, sendAlert) };
}
