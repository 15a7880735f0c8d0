// Notices to the Canaries' workflows, each kept until Temporal has taken it. Per Canary there is at
// most one notice waiting and one in flight: a newer change supersedes a waiting notice (the
// workflow looks at the Canary as it is then, so the newest reason is all it needs). A failed
// signal is retried with a capped, jittered backoff until it is delivered or the Canary is gone
// and its workflow told so; nothing counts as told before the signal succeeded. Changes go ahead of
// refreshes (the resync, a watch started again), so a change seen mid-resync is not queued behind
// every Canary of the cluster.

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

/**
 * `change`: something about the Canary or what it uses changed, and its rollout may wait on it.
 * `refresh`: every Canary is looked at again as a safety net; none is waiting on it.
 */
export type Lane = 'change' | 'refresh';

export interface NoticeOptions {
  /** Send even when the Canary looks as it did at the last delivery (resync, a sibling's deletion). */
  force?: boolean;
  lane?: Lane;
}

export interface DeliveryOptions {
  /** Canaries looked at and signalled at once. */
  concurrency: number;
  /** Of those, how many may be refreshes: the other slots stay free for changes. */
  refreshConcurrency: number;
  backoff: Backoff;
  /** Told after every attempt to signal, for logs and Temporal's reachability. */
  onOutcome?: (outcome: Outcome) => void;
  random?: () => number;
}

interface Notice {
  reason: string;
  force: boolean;
  lane: Lane;
}

/** Two notices for one Canary as one: the newer reason, forced if either was, a change if either was. */
function merge(older: Notice | undefined, newer: Notice): Notice {
  if (older === undefined) return newer;
  return { reason: newer.reason, force: older.force || newer.force, lane: older.lane === 'change' ? 'change' : newer.lane };
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
  /** Keys ready to be handled, oldest first, by lane; each key in at most one. */
  private readonly queues: Record<Lane, Set<string>> = { change: new Set(), refresh: new Set() };
  private readonly running: Record<Lane, number> = { change: 0, refresh: 0 };
  private stopped = false;

  constructor(
    private readonly channel: Channel<S>,
    private readonly options: DeliveryOptions,
  ) {}

  /** Asks for the Canary `key` to be looked at and its workflow signalled if needed. */
  notify(key: string, reason: string, options: NoticeOptions = {}): void {
    if (this.stopped) return;
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = { failures: 0, busy: false };
      this.slots.set(key, slot);
    }
    slot.waiting = merge(slot.waiting, { reason, force: options.force ?? false, lane: options.lane ?? 'change' });
    if (!slot.busy) {
      slot.busy = true;
      this.enqueue(key, slot.waiting.lane);
    } else if (slot.waiting.lane === 'change' && this.queues.refresh.delete(key)) {
      // Queued as a refresh and changed since: it moves up.
      this.enqueue(key, 'change');
    }
  }

  /** Retries every notice waiting out a backoff now (Temporal is back). */
  retryNow(): void {
    for (const [key, slot] of this.slots) {
      if (slot.retry === undefined) continue;
      clearTimeout(slot.retry);
      slot.retry = undefined;
      this.enqueue(key, slot.waiting?.lane ?? 'change');
    }
  }

  stop(): void {
    this.stopped = true;
    this.queues.change.clear();
    this.queues.refresh.clear();
    for (const slot of this.slots.values()) clearTimeout(slot.retry);
  }

  private enqueue(key: string, lane: Lane): void {
    this.queues[lane].add(key);
    this.pump();
  }

  /** The lane to take the next key from, if a slot is free for it. */
  private nextLane(): Lane | undefined {
    if (this.stopped || this.running.change + this.running.refresh >= this.options.concurrency) return undefined;
    if (this.queues.change.size > 0) return 'change';
    if (this.queues.refresh.size > 0 && this.running.refresh < this.options.refreshConcurrency) return 'refresh';
    return undefined;
  }

  private pump(): void {
    for (let lane = this.nextLane(); lane !== undefined; lane = this.nextLane()) {
      const queue = this.queues[lane];
      const key = queue.values().next().value as string;
      queue.delete(key);
      this.running[lane] += 1;
      void this.handle(key).finally(() => {
        this.running[lane] -= 1;
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
      slot.waiting = merge(notice, (slot.waiting as Notice | undefined) ?? notice);
      slot.failures += 1;
      const retryInMs = retryDelayMs(slot.failures, this.options.backoff, this.options.random);
      this.options.onOutcome?.({ ok: false, key, reason: notice.reason, step, error, failures: slot.failures, retryInMs });
      slot.retry = setTimeout(() => {
        slot.retry = undefined;
        this.enqueue(key, slot.waiting?.lane ?? notice.lane);
      }, retryInMs);
      return;
    }
    slot.failures = 0;
    slot.told = sight?.id;
    // Set again while the signal was in flight (TypeScript cannot see that across the awaits).
    const newer = slot.waiting as Notice | undefined;
    if (newer !== undefined) {
      this.enqueue(key, newer.lane);
    } else if (sight === undefined) {
      // The Canary is gone and its workflow told: nothing left to remember.
      this.slots.delete(key);
    } else {
      slot.busy = false;
    }
  }
}
