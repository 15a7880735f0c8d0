// send() against a local receiver, for what a hostile or broken server can do to the caller: an
// answer of megabytes is read to its end but kept only up to the cap, and a redirect is answered
// as it is, never followed (a server that redirects forever costs one request).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { send } from '../../../src/activities/http/request';
import { Receiver } from '../../support/receiver';

describe('send', () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await Receiver.start();
  });
  after(() => receiver.close());

  const post = (path: string, maxBodyBytes?: number) =>
    send(
      { method: 'POST', url: new URL(receiver.url(path)), headers: { 'Content-Type': 'application/json' }, body: '{}' },
      { timeoutMs: 10_000, ...(maxBodyBytes !== undefined && { maxBodyBytes }) },
    );

  it('keeps at most 64 KiB of a 10 MB answer by default, and still answers its status', async () => {
    receiver.on('/big', { status: 200, body: 'x'.repeat(10 << 20) });
    const reply = await post('/big');
    assert.equal(reply.status, 200);
    assert.equal(reply.body.length, 64 * 1024);
  });

  it('keeps the cap it is given', async () => {
    receiver.on('/big-small-cap', { status: 500, body: 'y'.repeat(1 << 20) });
    const reply = await post('/big-small-cap', 100);
    assert.deepEqual(reply, { status: 500, body: 'y'.repeat(100) });
  });

  it('does not follow a redirect, not even one to itself', async () => {
    receiver.on('/loop', { status: 302, body: '', headers: { location: receiver.url('/loop') } });
    const reply = await post('/loop');
    assert.equal(reply.status, 302);
    assert.equal(receiver.to('/loop').length, 1);
  });
});
