// Status and Events of a Canary: the activities and the writers they are built from.
export {
  type NotifyEventHooksInput,
  type RecordEventInput,
  statusActivities,
  type StatusDependencies,
  type WriteEventsInput,
  type WriteStatusInput,
} from './activities';
export { type EventInput, EventWriter, OCCURRENCE_ANNOTATION } from './event-writer';
export { StatusWriter } from './status-writer';
