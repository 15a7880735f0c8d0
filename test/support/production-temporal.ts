// The self-hosted Temporal beside the stack (scripts/production-temporal.sh: Temporal's own server
// on PostgreSQL), started and stopped by the tests that use it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDir } from './stack';

const script = join(__dirname, '..', '..', '..', 'scripts', 'production-temporal.sh');

export interface ProductionTemporal {
  /** The frontend's `host:port`. */
  temporal: string;
  namespace: string;
  retention: string;
  postgres: string;
}

/** Runs `scripts/production-temporal.sh command`; rejects with its output when it fails. */
function run(command: 'up' | 'down'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, command], { env: { ...process.env, PERCH_RUN: runDir() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`production-temporal.sh ${command} exited ${code}:\n${output}`))));
  });
}

/** Starts it (a no-op when it runs) and answers where it listens. */
export async function startProductionTemporal(): Promise<ProductionTemporal> {
  await run('up');
  return JSON.parse(readFileSync(join(runDir(), 'production-temporal.json'), 'utf8')) as ProductionTemporal;
}

/** Stops it; its data stays for the next start. */
export function stopProductionTemporal(): Promise<void> {
  return run('down');
}
