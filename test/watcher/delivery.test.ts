// The watcher's delivery of notices, without servers: a fake channel stands for Kubernetes (what a
// Canary looks like) and Temporal (whether a signal is taken).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryDelayMs } from '../../src/backoff';
import { type Channel, Delivery, type Outcome, type Sight } from '../../src/watcher/delivery';

interface Sent {
  key: string;
  reason: string;
  sight: string | undefined;
}

/** Canaries as `key → sight id` (absent: gone); `refuse` signals fail while it returns true. */
class FakeChannel implements Channel<Sight> {
  readonly canaries = new Map<string, string>();
  readonly attempts: Sent[] = [];
  readonly delivered: Sent[] = [];
  readonly outcomes: Outcome[] = [];
  inFlight = new Map<string, number>();
  maxInFlight = 0;
  maxInFlightPerKey = 0;
  refuse: (attempt: Sent) => boolean = () => false;
  /** When set, each delivery waits for it. */
  gate: Promise<void> | undefined;
  private waiters: (() => void)[] = [];

  observe(key: string): Promise<Sight | undefined> {
    const id = this.canaries.get(key);
    return Promise.resolve(id === undefined ? undefined : { id });
  }

  async deliver(key: string, reason: string, sight: Sight | undefined): Promise<void> {
    const sent = { key, reason, sight: sight?.id };
    this.attempts.push(sent);
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    this.maxInFlightPerKey = Math.max(this.maxInFlightPerKey, this.inFlight.get(key) ?? 0);
    this.maxInFlight = Math.max(
      this.maxInFlight,
      [...this.inFlight.values()].reduce((a, b) => a + b, 0),
    );
    this.wake();
    try {
      await this.gate;
      if (this.refuse(sent)) throw new Error('Temporal unreachable');
      this.delivered.push(sent);
    } finally {
      this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1);
      this.wake();
    }
  }

  /** Holds every delivery at the gate; answers the function that opens it. */
  hold(): () => void {
    let open!: () => void;
    this.gate = new Promise((r) => {
      open = r;
    });
    return open;
  }

  record(o: Outcome): void {
    this.outcomes.push(o);
    this.wake();
  }

  /** Resolves once `fact` holds (checked after every attempt); fails after 5 s. */
  until(what: string, fact: () => boolean): Promise<void> {
    if (fact()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 5000);
      const check = () => {
        if (!fact()) return void this.waiters.push(check);
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    // After the delivery's own bookkeeping has run.
    setImmediate(() => waiters.forEach((w) => w()));
  }
}

/** Runs `body` with a fresh channel and delivery; the delivery is stopped however it ends. */
async function withDelivery(
  body: (channel: FakeChannel, delivery: Delivery<Sight>) => Promise<void>,
  options: { concurrency?: number; refreshConcurrency?: number; initialMs?: number } = {},
): Promise<void> {
  const channel = new FakeChannel();
  const initialMs = options.initialMs ?? 1;
  const delivery = new Delivery(channel, {
    concurrency: options.concurrency ?? 4,
    refreshConcurrency: options.refreshConcurrency ?? 2,
    backoff: { initialMs, maxMs: initialMs * 8 },
    onOutcome: (o) => channel.record(o),
  });
  try {
    await body(channel, delivery);
  } finally {
    delivery.stop();
  }
}

describe('retry delay', () => {
  it('doubles from the first delay, stays under the cap, and is jittered by up to half', () => {
    const backoff = { initialMs: 1000, maxMs: 30_000 };
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 50].map((n) => retryDelayMs(n, backoff, () => 0)),
      [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000],
    );
    assert.deepEqual(
      [1, 3, 6].map((n) => retryDelayMs(n, backoff, () => 1)),
      [500, 2000, 15_000],
    );
    for (let i = 0; i < 100; i += 1) {
      const d = retryDelayMs(4, backoff);
      assert.ok(d >= 4000 && d <= 8000, `${d} within [4000, 8000]`);
    }
  });
});

describe('delivery', () => {
  it('retries a refused signal until it is delivered, and only then counts it as told', () =>
    withDelivery(async (channel, delivery) => {
      channel.canaries.set('ns/a', '1:r1');
      let refusals = 3;
      channel.refuse = () => refusals-- > 0;
      delivery.notify('ns/a', 'target changed');
      await channel.until('delivery', () => channel.delivered.length === 1);
      assert.equal(channel.attempts.length, 4);
      assert.deepEqual(
        channel.outcomes.map((o) => (o.ok ? 'ok' : `failed ${o.failures}`)),
        ['failed 1', 'failed 2', 'failed 3', 'ok'],
      );
      // Told now: the same sight sends nothing more; a new one does.
      delivery.notify('ns/a', 'status churn');
      channel.canaries.set('ns/a', '1:r2');
      delivery.notify('ns/a', 'target changed again');
      await channel.until('second delivery', () => channel.delivered.length === 2);
      assert.deepEqual(
        channel.delivered.map((d) => d.sight),
        ['1:r1', '1:r2'],
      );
      assert.equal(channel.attempts.length, 5);
    }));

  it('keeps one notice in flight per Canary, the newest superseding the waiting one', () =>
    withDelivery(async (channel, delivery) => {
      const open = channel.hold();
      channel.canaries.set('ns/a', '1:r1');
      let refuseFirst = true;
      channel.refuse = () => (refuseFirst ? !(refuseFirst = false) : false);
      delivery.notify('ns/a', 'change 1');
      await channel.until('first attempt in flight', () => channel.attempts.length === 1);
      for (let i = 2; i <= 5; i += 1) {
        channel.canaries.set('ns/a', `1:r${i}`);
        delivery.notify('ns/a', `change ${i}`);
      }
      open();
      await channel.until('the newest delivered', () => channel.delivered.length === 1);
      assert.deepEqual(
        channel.attempts.map((a) => a.reason),
        ['change 1', 'change 5'],
        'the refused one is replaced by the newest, not queued behind it',
      );
      assert.deepEqual(channel.delivered, [{ key: 'ns/a', reason: 'change 5', sight: '1:r5' }]);
      assert.equal(channel.maxInFlightPerKey, 1);
    }));

  it('tells the workflow of a Canary that is gone, and forgets it once told', () =>
    withDelivery(async (channel, delivery) => {
      channel.canaries.set('ns/a', '1:r1');
      delivery.notify('ns/a', 'canary generation 1');
      await channel.until('delivery', () => channel.delivered.length === 1);
      channel.canaries.delete('ns/a');
      let refusals = 2;
      channel.refuse = () => refusals-- > 0;
      delivery.notify('ns/a', 'canary deleted');
      await channel.until('deletion delivered', () => channel.delivered.length === 2);
      assert.deepEqual(channel.delivered[1], { key: 'ns/a', reason: 'canary deleted', sight: undefined });
      // Created again with the same name and spec: a new Canary, signalled again.
      channel.canaries.set('ns/a', '1:r1');
      delivery.notify('ns/a', 'canary generation 1');
      await channel.until('the new Canary signalled', () => channel.delivered.length === 3);
    }));

  it('stops retrying a change once the Canary is gone, and tells its workflow so instead', () =>
    withDelivery(async (channel, delivery) => {
      channel.canaries.set('ns/a', '1:r1');
      channel.refuse = (sent) => sent.key === 'ns/a' && sent.sight !== undefined;
      delivery.notify('ns/a', 'target changed');
      await channel.until('a refusal', () => channel.attempts.length >= 2);
      channel.canaries.delete('ns/a');
      await channel.until('the deletion delivered', () => channel.delivered.length === 1);
      assert.equal(channel.delivered[0]?.sight, undefined);
      const attempts = channel.attempts.length;
      // Nothing more is tried for it: one more notice for another Canary goes through alone.
      channel.canaries.set('ns/b', '1:r1');
      delivery.notify('ns/b', 'canary generation 1');
      await channel.until('b delivered', () => channel.delivered.length === 2);
      assert.deepEqual(
        channel.attempts.slice(attempts).map((a) => a.key),
        ['ns/b'],
      );
    }));

  it('signals a Canary that looks unchanged when forced (resync, a deleted sibling)', () =>
    withDelivery(async (channel, delivery) => {
      channel.canaries.set('ns/a', '1:r1');
      delivery.notify('ns/a', 'canary generation 1');
      await channel.until('delivery', () => channel.delivered.length === 1);
      delivery.notify('ns/a', 'resync', { force: true, lane: 'refresh' });
      await channel.until('forced delivery', () => channel.delivered.length === 2);
      // A plain notice merged into a waiting forced one keeps it forced.
      let refusals = 1;
      channel.refuse = () => refusals-- > 0;
      delivery.notify('ns/a', 'resync', { force: true, lane: 'refresh' });
      delivery.notify('ns/a', 'target changed');
      await channel.until('third delivery', () => channel.delivered.length === 3);
      assert.deepEqual(
        channel.delivered.map((d) => d.reason),
        ['canary generation 1', 'resync', 'target changed'],
      );
    }));

  it('signals at most `concurrency` Canaries at once, and reaches every one', () =>
    withDelivery(
      async (channel, delivery) => {
        const open = channel.hold();
        for (let i = 0; i < 20; i += 1) {
          channel.canaries.set(`ns/c${i}`, '1:r1');
          delivery.notify(`ns/c${i}`, 'canary generation 1');
        }
        await channel.until('three in flight', () => channel.attempts.length === 3);
        open();
        await channel.until('all delivered', () => channel.delivered.length === 20);
        assert.equal(channel.maxInFlight, 3);
      },
      { concurrency: 3 },
    ));

  it('puts changes ahead of a resync, and keeps slots free for them', () =>
    withDelivery(
      async (channel, delivery) => {
        const open = channel.hold();
        for (let i = 0; i < 10; i += 1) {
          channel.canaries.set(`ns/c${i}`, '1:r1');
          delivery.notify(`ns/c${i}`, 'resync', { force: true, lane: 'refresh' });
        }
        await channel.until('the refreshes at their limit', () => channel.attempts.length === 2);
        // A change to a Canary the resync has not reached, and one it has not queued at all.
        channel.canaries.set('ns/c7', '1:r2');
        delivery.notify('ns/c7', 'target changed');
        channel.canaries.set('ns/x', '1:r1');
        delivery.notify('ns/x', 'canary generation 1');
        await channel.until('both changes in flight', () => channel.attempts.length === 4);
        assert.deepEqual(
          channel.attempts.map((a) => a.key),
          ['ns/c0', 'ns/c1', 'ns/c7', 'ns/x'],
          'the changes start while the resync still waits, the moved one not sent twice',
        );
        open();
        await channel.until('all delivered', () => channel.delivered.length === 11);
        assert.equal(channel.attempts.length, 11);
        assert.deepEqual(
          channel.delivered.find((d) => d.key === 'ns/c7'),
          { key: 'ns/c7', reason: 'target changed', sight: '1:r2' },
        );
        assert.equal(channel.maxInFlight, 4);
      },
      { concurrency: 4, refreshConcurrency: 2 },
    ));

  it('retries at once when told Temporal is back, not after the backoff', () =>
    withDelivery(
      async (channel, delivery) => {
        channel.canaries.set('ns/a', '1:r1');
        let refuse = true;
        channel.refuse = () => refuse;
        delivery.notify('ns/a', 'target changed');
        await channel.until('a refusal', () => channel.outcomes.length === 1);
        const first = channel.outcomes[0];
        assert.ok(first !== undefined && !first.ok && first.retryInMs >= 1_800_000, 'the next attempt waits out the backoff');
        refuse = false;
        delivery.retryNow();
        await channel.until('delivery', () => channel.delivered.length === 1);
      },
      { initialMs: 3_600_000 },
    ));
});
