// The built `perch` executable as a child process, the way a person or a script runs it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { stack } from '../support/stack';

/** src/cli/main.js in the same build folder as this file. */
export const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliRun {
  done: Promise<CliResult>;
  /** What it has printed so far. */
  stdout(): string;
}

/** Starts `perch ...args` against the local stack's Temporal (unless `env` says otherwise). */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH, TEMPORAL_ADDRESS: stack().temporal, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
  return { done, stdout: () => stdout };
}

export function cli(...args: string[]): Promise<CliResult> {
  return startCli(args).done;
}

/** No stack trace ever reaches the user. */
export function noStackTrace(r: CliResult): boolean {
  return !/^\s+at .+:\d+:\d+\)?$/m.test(r.stderr + r.stdout);
}
