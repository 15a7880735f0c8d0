// Activity functions only: the worker registers every function exported here.
export { recordEvent, writeCanaryStatus } from './activities';
export { type CanaryEvent, type CanaryRef, type StatusSink } from './status-sink';
