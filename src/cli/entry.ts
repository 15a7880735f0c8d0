// Runs the command line of this process and exits with its code, for the two executables:
// `perch` (main.ts) and the kubectl plugin `kubectl-perch` (kubectl-perch.ts).
import { type Invocation, run } from './program';

export function runProcess(invocation: Invocation): void {
  void run(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr, invocation }).then((code) => {
    // Exit once the output is written; a connection left half-open must not keep the CLI alive.
    process.stdout.write('', () => process.exit(code));
  });
}
