// The change feed without servers: a fake watch call and list stand for the API server, and each
// test drives what the server would send, then checks what the feed told and where it watches next.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Change, ChangeFeed, type WatchCall } from '../../src/watcher/change-feed';
import { type ListPage } from '../../src/watcher/metadata-informer';

type Callback = (phase: string, obj: unknown) => void;
type Done = (err: unknown) => void;

interface Call {
  query: Record<string, unknown>;
  send: Callback;
  end: Done;
  aborted: () => boolean;
}

/** Watch calls as they come, each awaited by `next()`. */
class FakeWatch implements WatchCall {
  private readonly calls: Call[] = [];
  private readonly waiting: ((call: Call) => void)[] = [];
  count = 0;

  watch(_path: string, query: Record<string, unknown>, send: Callback, end: Done): Promise<AbortController> {
    const controller = new AbortController();
    const call = { query, send, end, aborted: () => controller.signal.aborted };
    this.count += 1;
    const waiter = this.waiting.shift();
    if (waiter) waiter(call);
    else this.calls.push(call);
    return Promise.resolve(controller);
  }

  next(): Promise<Call> {
    const call = this.calls.shift();
    return call ? Promise.resolve(call) : new Promise((resolve) => this.waiting.push(resolve));
  }
}

/** Lists answer the versions given, one per call; `fail` makes the next call throw. */
function fakeList(versions: string[]): ListPage & { limits: number[]; fail: boolean } {
  const list = Object.assign(
    (page: { limit: number }) => {
      list.limits.push(page.limit);
      if (list.fail) {
        list.fail = false;
        return Promise.reject(new Error('connection refused'));
      }
      return Promise.resolve({ metadata: { resourceVersion: versions.shift() ?? '' }, items: [] });
    },
    { limits: [] as number[], fail: false },
  );
  return list;
}

function feedOf(watch: FakeWatch, list: ListPage) {
  const changes: Change[] = [];
  let lost = 0;
  const feed = new ChangeFeed('/api/v1/secrets', watch, list, {
    change: (c) => changes.push(c),
    lost: () => (lost += 1),
  });
  return { feed, changes, lost: () => lost };
}

const secret = (name: string, resourceVersion: string) => ({ metadata: { namespace: 'ns', name, resourceVersion } });

describe('change feed', () => {
  it('starts at the current version, tells each change and resumes where it was', async () => {
    const watch = new FakeWatch();
    const list = fakeList(['100']);
    const { feed, changes, lost } = feedOf(watch, list);
    await feed.start();
    const first = await watch.next();
    assert.deepEqual(list.limits, [1], 'one list of at most one item: nothing of the collection is read');
    assert.deepEqual(first.query, { resourceVersion: '100', allowWatchBookmarks: true });
    first.send('ADDED', secret('a', '101'));
    first.send('MODIFIED', secret('a', '102'));
    first.send('BOOKMARK', { metadata: { resourceVersion: '150' } });
    first.send('DELETED', secret('b', '160'));
    assert.deepEqual(changes, [
      { namespace: 'ns', name: 'a', resourceVersion: '101' },
      { namespace: 'ns', name: 'a', resourceVersion: '102' },
      { namespace: 'ns', name: 'b', resourceVersion: '160' },
    ]);
    // The server's timeout, then the client's inactivity one: on from the last version, no list.
    first.end(null);
    const second = await watch.next();
    assert.equal(second.query.resourceVersion, '160');
    second.send('BOOKMARK', { metadata: { resourceVersion: '170' } });
    second.end(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    const third = await watch.next();
    assert.equal(third.query.resourceVersion, '170');
    assert.deepEqual(list.limits, [1]);
    assert.equal(lost(), 0, 'the first start misses nothing');
    feed.stop();
    assert.ok(third.aborted());
  });

  it('starts again from the current version when its own has expired, and says changes may be lost', async () => {
    const watch = new FakeWatch();
    const list = fakeList(['100', '900', '950']);
    const { feed, lost } = feedOf(watch, list);
    await feed.start();
    // 410 as an ERROR event, then the watch ends.
    const first = await watch.next();
    first.send('ERROR', { kind: 'Status', code: 410, reason: 'Expired' });
    first.end(null);
    const second = await watch.next();
    assert.equal(second.query.resourceVersion, '900');
    assert.equal(lost(), 1);
    // 410 as the answer to the watch request itself.
    second.end(Object.assign(new Error('Gone'), { statusCode: 410 }));
    const third = await watch.next();
    assert.equal(third.query.resourceVersion, '950');
    assert.equal(lost(), 2);
    feed.stop();
  });

  it('tries a failed start again, and then says changes may be lost', async () => {
    const watch = new FakeWatch();
    const list = fakeList(['300']);
    list.fail = true;
    const { feed, lost } = feedOf(watch, list);
    await feed.start();
    assert.equal(watch.count, 0, 'no watch without a version to start at');
    const first = await watch.next();
    assert.equal(first.query.resourceVersion, '300');
    assert.equal(lost(), 1, 'Canaries may have been read while the feed was not running');
    // Any other failure of a running watch: again from the same version, nothing lost.
    first.end(new Error('socket hang up'));
    const second = await watch.next();
    assert.equal(second.query.resourceVersion, '300');
    assert.equal(lost(), 1);
    feed.stop();
  });

  it('opens nothing once stopped', async () => {
    const watch = new FakeWatch();
    const { feed } = feedOf(watch, fakeList(['100']));
    await feed.start();
    const first = await watch.next();
    feed.stop();
    first.end(null);
    assert.equal(watch.count, 1);
  });
});
