// Notices to the Canaries' workflows, each kept until Temporal has taken it. Per Canary there is at
// most one notice waiting and one in flight: a newer change supersedes a waiting notice (the
// workflow looks at the Canary as it is then, so the newest reason is all it needs). A failed
// signal is retried with a capped, jittered backoff until it is delivered or the Canary is gone
// and its workflow told so; nothing counts as told before the signal succeeded.

import { type Backoff, retryDelayMs } from '../backoff';

/** What the watcher sees of a Canary; `id` is equal for two sights that need no second signal. */
export interface Sight {
  readonly id: string;
}

export interface Channel<S extends Sight> {
  /** The Canary as it is now; undefined when it no longer exists. */
  observe(key: string): Promise<S | undefined>;
  /** Signals the Canary's workflow (`sight` undefined: the Canary is gone); throws when not delivered. */
  deliver(key: string, reason: string, sight: S | undefined): Promise<void>;
}

/** The first retry after about 1 s, then doubling, never more than 30 s apart. */
export const SIGNAL_BACKOFF: Backoff = { initialMs: 1000, maxMs: 30_000 };

export type Outcome =
  | { ok: true; key: string; reason: string }
  /** `step`: reading the Canary and its target (Kubernetes) or signalling (Temporal) failed. */
  | { ok: false; key: string; reason: string; step: 'observe' | 'deliver'; error: unknown; failures: number; retryInMs: number };

export interface DeliveryOptions {
  /** Canaries looked at and signalled at once. */
  concurrency: number;
  backoff: Backoff;
  /** Told after every attempt to signal, for logs and Temporal's reachability. */
  onOutcome?: (outcome: Outcome) => void;
  random?: () => number;
}

interface Notice {
  reason: string;
  /** Send even when the Canary looks as it did at the last delivery (resync, a sibling's deletion). */
  force: boolean;
}

interface Slot {
  /** The sight last delivered; undefined before the first delivery. */
  told?: string;
  /** The notice to send next, if any. */
  waiting?: Notice;
  /** Failed attempts since the last delivery. */
  failures: number;
  /** Queued, being handled, or waiting for a retry: then `notify` only updates `waiting`. */
  busy: boolean;
  retry?: NodeJS.Timeout;
}

export class Delivery<S extends Sight> {
  private readonly slots = new Map<string, Slot>();
  /** Keys ready to be handled, oldest first; each at most once. */
  private readonly queue = new Set<string>();
  private running = 0;
  private stopped = false;

  constructor(
    private readonly channel: Channel<S>,
    private readonly options: DeliveryOptions,
  ) {}

  /** Asks for the Canary `key` to be looked at and its workflow signalled if needed. */
  notify(key: string, reason: string, force = false): void {
    if (this.stopped) return;
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = { failures: 0, busy: false };
      this.slots.set(key, slot);
    }
    slot.waiting = { reason, force: force || (slot.waiting?.force ?? false) };
    if (slot.busy) return;
    slot.busy = true;
    this.enqueue(key);
  }

  /** Retries every notice waiting out a backoff now (Temporal is back). */
  retryNow(): void {
    for (const [key, slot] of this.slots) {
      if (slot.retry === undefined) continue;
      clearTimeout(slot.retry);
      slot.retry = undefined;
      this.enqueue(key);
    }
  }

  stop(): void {
    this.stopped = true;
    this.queue.clear();
    for (const slot of this.slots.values()) clearTimeout(slot.retry);
  }

  private enqueue(key: string): void {
    this.queue.add(key);
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.running < this.options.concurrency && this.queue.size > 0) {
      const key = this.queue.values().next().value as string;
      this.queue.delete(key);
      this.running += 1;
      void this.handle(key).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  private async handle(key: string): Promise<void> {
    const slot = this.slots.get(key);
    const notice = slot?.waiting;
    if (slot === undefined || notice === undefined) return;
    slot.waiting = undefined;
    let sight: S | undefined;
    let step: 'observe' | 'deliver' = 'observe';
    try {
      sight = await this.channel.observe(key);
      step = 'deliver';
      if (sight === undefined || notice.force || sight.id !== slot.told) {
        await this.channel.deliver(key, notice.reason, sight);
        this.options.onOutcome?.({ ok: true, key, reason: notice.reason });
      }
    } catch (error) {
      if (this.stopped) return;
      // A newer notice supersedes this one, but a forced send stays forced.
      const newer = slot.waiting as Notice | undefined;
      slot.waiting = { reason: newer?.reason ?? notice.reason, force: notice.force || (newer?.force ?? false) };
      slot.failures += 1;
      const retryInMs = retryDelayMs(slot.failures, this.options.backoff, this.options.random);
      this.options.onOutcome?.({ ok: false, key, reason: notice.reason, step, error, failures: slot.failures, retryInMs });
      slot.retry = setTimeout(() => {
        slot.retry = undefined;
        this.enqueue(key);
      }, retryInMs);
      return;
    }
    slot.failures = 0;
    slot.told = sight?.id;
    if (slot.waiting !== undefined) {
      this.enqueue(key);
    } else if (sight === undefined) {
      // The Canary is gone and its workflow told: nothing left to remember.
      this.slots.delete(key);
    } else {
      slot.busy = false;
    }
  }
}
