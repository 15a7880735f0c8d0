// When the watcher reads a config again, without servers: fake reads stand for the API server, the
// calls to configChanged and forgetConfigs for the feeds. The stack's own test
// (target-revisions.test.ts) checks the revisions against the activities'.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import { TargetRevisions } from '../../src/watcher/target-revisions';

const NS = 'ns';

function deployment(configMaps: string[]): k8s.V1Deployment {
  return {
    metadata: { name: 'web', namespace: NS, generation: 1 },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'web', image: 'podinfo:6.0.0', envFrom: configMaps.map((name) => ({ configMapRef: { name } })) }],
        },
      },
    },
  };
}

/** ConfigMaps by name; each read is recorded and, while `hold` is set, waits for it. */
class FakeReads {
  readonly configMaps = new Map<string, k8s.V1ConfigMap>();
  readonly reads: string[] = [];
  hold: Promise<void> | undefined;
  /** Called as each read arrives at the fake server. */
  arrived: (name: string) => void = () => undefined;

  put(name: string, resourceVersion: string, value: string): void {
    this.configMaps.set(name, { metadata: { name, namespace: NS, resourceVersion }, data: { a: value } });
  }

  revisions(): TargetRevisions {
    return new TargetRevisions(
      {
        workload: () => Promise.resolve(deployment(['one', 'two'])),
        configMap: async (_n, name) => {
          this.reads.push(name);
          const answer = this.configMaps.get(name); // as the server answers when the read arrives
          this.arrived(name);
          await this.hold;
          return answer;
        },
        secret: () => Promise.resolve(undefined),
      },
      () => 'generation 1',
    );
  }
}

describe('config reads (watcher)', () => {
  it('reads a used config again only when told of a new version of it', async () => {
    const fake = new FakeReads();
    fake.put('one', '10', 'a');
    fake.put('two', '20', 'b');
    const revisions = fake.revisions();
    const first = await revisions.revision(NS, 'web');
    assert.deepEqual(fake.reads.sort(), ['one', 'two']);

    fake.reads.length = 0;
    revisions.configChanged(NS, 'configmap', 'one', '10'); // the version already read
    revisions.configChanged(NS, 'configmap', 'other', '99'); // no target uses it
    revisions.configChanged(NS, 'secret', 'one', '11'); // a Secret of the same name
    assert.equal(await revisions.revision(NS, 'web'), first);
    assert.deepEqual(fake.reads, []);

    fake.put('one', '12', 'changed');
    revisions.configChanged(NS, 'configmap', 'one', '12');
    assert.notEqual(await revisions.revision(NS, 'web'), first);
    assert.deepEqual(fake.reads, ['one']);

    fake.reads.length = 0;
    revisions.forgetConfigs();
    await revisions.revision(NS, 'web');
    assert.deepEqual(fake.reads.sort(), ['one', 'two'], 'after a feed restart every used config is read again');
  });

  it('does not keep a read that a change overtook', async () => {
    const fake = new FakeReads();
    fake.put('one', '10', 'a');
    fake.put('two', '20', 'b');
    const revisions = fake.revisions();
    await revisions.revision(NS, 'web');
    fake.put('one', '11', 'b');
    revisions.configChanged(NS, 'configmap', 'one', '11');

    // The read of version 11 is in flight when version 12 is written and told.
    let release = (): void => undefined;
    fake.hold = new Promise((resolve) => (release = resolve));
    const arrived = new Promise<string>((resolve) => (fake.arrived = resolve));
    const reading = revisions.revision(NS, 'web');
    assert.equal(await arrived, 'one');
    fake.put('one', '12', 'c');
    revisions.configChanged(NS, 'configmap', 'one', '12');
    release();
    await reading;
    fake.hold = undefined;

    fake.reads.length = 0;
    const now = await revisions.revision(NS, 'web');
    assert.deepEqual(fake.reads, ['one'], 'version 11 was not kept, so 12 is read');
    fake.reads.length = 0;
    assert.equal(await revisions.revision(NS, 'web'), now);
    assert.deepEqual(fake.reads, [], 'and 12 is kept');
  });
});
