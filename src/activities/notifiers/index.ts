// Activity functions only: the worker registers every function exported here. The payload builders
// and routing are pure and can be imported from their own files.
export { sendAlert, type AlertDelivery, type SendAlertInput } from './send-alert';
