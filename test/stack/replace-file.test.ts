// scripts/lib.sh replace_file, which writes the files of a running stack (its kubeconfig,
// endpoints.json): while the new content is still being written, a reader sees the old file whole;
// once written, the new. `stack.sh up` beside a running suite rewrites both, and a kubeconfig caught
// empty sent kubectl to localhost:8080. Needs no server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { eventually } from '../support/stack';

const repoRoot = join(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'perch-replace-file-'));

/** The files in `dir` other than `name`: replace_file's unfinished writes. */
const pending = (name: string): string[] => readdirSync(dir).filter((f) => f !== name && f.startsWith(name));

describe('replace_file (scripts/lib.sh)', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('shows the old content until the new is written whole, then the new, and leaves nothing beside it', async () => {
    const target = join(dir, 'kubeconfig');
    writeFileSync(target, 'old: whole\n');
    const writer = spawn('bash', ['-c', 'source scripts/lib.sh && replace_file "$0"', target], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PERCH_CACHE: join(dir, 'cache') },
      stdio: ['pipe', 'inherit', 'inherit'],
    });
    const exited = once(writer, 'exit') as Promise<[number | null]>;
    try {
      writer.stdin.write('new: first half\n');
      const written = (f: string): boolean => readFileSync(join(dir, f), 'utf8') === 'new: first half\n';
      await eventually('the first half written', 30_000, () => Promise.resolve(['kubeconfig', ...pending('kubeconfig')].some(written) || undefined));
      assert.equal(readFileSync(target, 'utf8'), 'old: whole\n', 'mid-write, the file still holds the old content');
    } finally {
      writer.stdin.end('new: second half\n');
    }
    const [code] = await exited;
    assert.equal(code, 0);
    assert.equal(readFileSync(target, 'utf8'), 'new: first half\nnew: second half\n');
    assert.deepEqual(pending('kubeconfig'), []);
  });
});
