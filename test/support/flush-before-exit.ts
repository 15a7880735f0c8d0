// Loaded into every test file's process (`node --import` in package.json's test scripts). With
// `--test-force-exit` and several files at once, Node's runner ends a file's process as soon as its
// tests are done, while the last results may still be on their way to the parent through stdout:
// the parent then reports fewer tests than ran, and a failure among the lost ones only by the file's
// exit code, without its name (nodejs/node#64833, open). Here the exit waits until stdout has been
// empty for three checks in a row, at most 10 s, so every result reaches the report.
//
// Only a test file's process is touched (the runner marks it with NODE_TEST_CONTEXT); the runner
// itself, and the workers and watchers the tests start, exit as usual.
const QUIET_CHECKS = 3;
const CHECK_MS = 5;
const MAX_WAIT_MS = 10_000;

if (process.env.NODE_TEST_CONTEXT === 'child-v8') {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    const since = Date.now();
    let quiet = 0;
    const check = (): void => {
      quiet = process.stdout.writableLength === 0 ? quiet + 1 : 0;
      if (quiet < QUIET_CHECKS && Date.now() - since < MAX_WAIT_MS) setTimeout(check, CHECK_MS);
      else exit(code);
    };
    setTimeout(check, CHECK_MS);
  }) as typeof process.exit;
}
