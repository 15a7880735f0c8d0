// The stack's ports (scripts/lib.sh, every *_PORT) for every PERCH_PORT_OFFSET the scripts accept:
// no two parts of any two offsets share a port, and none lies in the kernel's ephemeral range, from
// which outgoing connections take their local ports (a port there can be taken when a part starts).
// Needs no server: it sources scripts/lib.sh with each offset.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const repoRoot = join(__dirname, '..', '..', '..');
const OFFSETS = [0, 100, 200, 300, 400, 500, 600, 700, 800, 900];

/** Only what lib.sh needs: no *_PORT of the caller's environment, and a cache folder of its own. */
const cache = mkdtempSync(join(tmpdir(), 'perch-ports-'));
const libEnv = (offset: string) => ({ PATH: process.env.PATH, HOME: process.env.HOME, PERCH_CACHE: cache, PERCH_PORT_OFFSET: offset });

/** NAME → port for one offset, as scripts/lib.sh's stack_ports prints them. */
function stackPorts(offset: number): Map<string, number> {
  const r = spawnSync('bash', ['-c', 'source scripts/lib.sh && stack_ports'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: libEnv(String(offset)),
  });
  assert.equal(r.status, 0, r.stderr);
  return new Map(
    r.stdout
      .trim()
      .split('\n')
      .map((line) => {
        const [name = '', port = ''] = line.split('=');
        return [name, Number(port)];
      }),
  );
}

/** The kernel's ephemeral range, [low, high]. */
function ephemeralRange(): [number, number] {
  const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  assert.ok(low !== undefined && high !== undefined && low <= high, 'ip_local_port_range reads as two numbers');
  return [low, high];
}

describe("the local stack's ports", () => {
  after(() => rmSync(cache, { recursive: true, force: true }));
  const byOffset = new Map(OFFSETS.map((offset) => [offset, stackPorts(offset)]));

  it('are the same parts at every offset, moved by the offset', () => {
    const base = byOffset.get(0) ?? new Map<string, number>();
    assert.ok(base.size >= 20, `scripts/lib.sh names ${base.size} ports`);
    for (const [offset, ports] of byOffset) {
      assert.deepEqual([...ports.keys()].sort(), [...base.keys()].sort(), `the parts at offset ${offset}`);
      for (const [name, port] of ports) {
        assert.ok(Number.isInteger(port) && port > 1024 && port < 65536, `${name}=${port} at offset ${offset}`);
        assert.equal(port, (base.get(name) ?? NaN) + offset, `${name} at offset ${offset}`);
      }
    }
  });

  it('are distinct across all parts of all offsets', () => {
    const owner = new Map<number, string>();
    for (const [offset, ports] of byOffset) {
      for (const [name, port] of ports) {
        const other = owner.get(port);
        assert.equal(other, undefined, `port ${port}: ${name} at offset ${offset} and ${other}`);
        owner.set(port, `${name} at offset ${offset}`);
      }
    }
    assert.equal(owner.size, OFFSETS.length * (byOffset.get(0)?.size ?? 0));
  });

  it("lie outside the kernel's ephemeral port range", () => {
    const [low, high] = ephemeralRange();
    for (const [offset, ports] of byOffset) {
      for (const [name, port] of ports) {
        assert.ok(port < low || port > high, `${name}=${port} at offset ${offset} is in the ephemeral range ${low}-${high}`);
      }
    }
  });

  it('refuses an offset that is not a multiple of 100 below 1000', () => {
    for (const offset of ['50', '1000', '-100', 'x']) {
      const r = spawnSync('bash', ['-c', 'source scripts/lib.sh'], {
        cwd: repoRoot,
        encoding: 'utf8',
        env: libEnv(offset),
      });
      assert.equal(r.status, 2, `PERCH_PORT_OFFSET=${offset}`);
      assert.match(r.stderr, /PERCH_PORT_OFFSET must be 0 or a multiple of 100 below 1000/);
    }
  });
});
