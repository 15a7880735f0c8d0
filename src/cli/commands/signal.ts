// `perch pause|resume|abort|promote|approve|retry ns/name`: one signal to the canary's workflow,
// and one line saying what it will do there.
import { type SignalDefinition } from '@temporalio/client';
import { abortSignal, approveSignal, pauseSignal, promoteSignal, resumeSignal, retrySignal, type RolloutView } from '../../workflows/messages';
import { type CanaryRef, refText } from '../args';
import { type Temporal } from '../client';
import { type SignalName, signalLine } from '../render';

const DEFINITIONS: Record<SignalName, SignalDefinition<[]>> = {
  pause: pauseSignal,
  resume: resumeSignal,
  abort: abortSignal,
  promote: promoteSignal,
  approve: approveSignal,
  retry: retrySignal,
};

/** How long to wait for the state that tailors the line; without it the line is general. */
const STATE_DEADLINE_MS = 2_000;

export async function signalCommand(t: Temporal, ref: CanaryRef, signal: SignalName): Promise<string> {
  // Asked before signalling, so the line describes what the signal meets.
  let view: RolloutView | undefined;
  try {
    view = await t.state(ref, '', STATE_DEADLINE_MS);
  } catch {
    view = undefined; // No answer (no worker, no canary): the signal below says which.
  }
  await t.call(ref, () => t.handle(ref).signal(DEFINITIONS[signal]));
  return signalLine(signal, refText(ref), view);
}
