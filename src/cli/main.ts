#!/usr/bin/env node
// The `perch` executable (package.json "bin"). Everything else is in program.ts.
import { run } from './program';

void run(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then((code) => {
  // Exit once the output is written; a connection left half-open must not keep the CLI alive.
  process.stdout.write('', () => process.exit(code));
});
