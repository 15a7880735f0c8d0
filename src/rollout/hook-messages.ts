// Flagger's texts for webhook outcomes. A failing hook's error is its response body, which is often
// empty ("... pre-rollout check acceptance-test failed " says nothing), so every failure also gets
// a detail string with the URL and the HTTP status.
import { type CanaryRef, canaryId } from './names';

export const confirmRolloutPassed = (hook: string): string => `Confirm-rollout check ${hook} passed`;
export const waitingForApproval = (ref: CanaryRef, hook: string): string => `Halt ${canaryId(ref)} advancement waiting for approval ${hook}`;

export const preRolloutPassed = (hook: string): string => `Pre-rollout check ${hook} passed`;
export const preRolloutFailed = (ref: CanaryRef, hook: string, err: string): string =>
  `Halt ${canaryId(ref)} advancement pre-rollout check ${hook} failed ${err}`;

/** Rollout hooks are silent on success in Flagger. */
export const rolloutHookFailed = (ref: CanaryRef, hook: string, err: string): string =>
  `Halt ${canaryId(ref)} advancement external check ${hook} failed ${err}`;

export const confirmTrafficIncreasePassed = (hook: string): string => `Confirm-traffic-increase check ${hook} passed`;
export const waitingForTrafficIncrease = (ref: CanaryRef, hook: string): string =>
  `Halt ${canaryId(ref)} advancement waiting for traffic increase approval ${hook}`;

export const confirmPromotionPassed = (hook: string): string => `Confirm-promotion check ${hook} passed`;
export const waitingForPromotion = (ref: CanaryRef, hook: string): string =>
  `Halt ${canaryId(ref)} advancement waiting for promotion approval ${hook}`;

/** Perch only: the approve signal opened a gate. */
export const approvedBySignal = (gate: string): string => `${gate} approved by signal`;

export const rollbackHookNotSignaling = (hook: string): string => `Rollback hook ${hook} not signaling a rollback`;
export const rollbackCheckPassed = (hook: string): string => `Rollback check ${hook} passed`;

export const postRolloutPassed = (hook: string): string => `Post-rollout check ${hook} passed`;
export const postRolloutFailed = (hook: string, err: string): string => `Post-rollout hook ${hook} failed ${err}`;

/** The error a hook reports when its retries ran out on 5xx answers or connection errors. */
export const webhookGaveUp = (url: string, attempts: number): string => `POST ${url} giving up after ${attempts} attempt(s)`;

export interface HookCall {
  readonly name: string;
  readonly url?: string;
  /** HTTP status of the last answer; absent when no answer came (timeout, refused connection). */
  readonly status?: number;
  /** The response body or transport error, as Flagger puts it in the event. */
  readonly error?: string;
}

/** A self-explanatory account of a hook failure, for logs, status and workflow history. */
export function hookFailureDetail(kind: string, call: HookCall): string {
  const where = call.url === undefined ? `${kind} webhook ${call.name}` : `${kind} webhook ${call.name} (${call.url})`;
  const answer = call.status === undefined ? 'gave no HTTP answer' : `answered HTTP ${call.status}`;
  const text = call.error?.trim() ?? '';
  return text === '' ? `${where} ${answer} with an empty body` : `${where} ${answer}: ${text}`;
}
