// Bundles the canary workflows once, at image build time, so a worker starts without webpack:
// `node dist/src/tools/bundle-workflows.js [out]` writes dist/workflow-bundle.js (or `out`), and
// the worker loads it when PERCH_WORKFLOW_BUNDLE names that file (the Dockerfile sets it).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { log } from '../log';

/** dist/workflow-bundle.js: this file runs as dist/src/tools/bundle-workflows.js. */
export const DEFAULT_BUNDLE_PATH = join(__dirname, '..', '..', 'workflow-bundle.js');

/** Bundles src/workflows (as compiled next to this file) into `out`; answers the bundle's size in bytes. */
export async function writeWorkflowBundle(out: string = DEFAULT_BUNDLE_PATH): Promise<number> {
  const workflowsPath = require.resolve('../workflows');
  // WARN: webpack's asset listing is noise; its errors still come through in the rejection.
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
  return Buffer.byteLength(code);
}

if (require.main === module) {
  const out = resolve(process.argv[2] ?? DEFAULT_BUNDLE_PATH);
  writeWorkflowBundle(out).then(
    (bytes) => log('info', 'workflow bundle written', { path: out, bytes }),
    (err: unknown) => {
      log('error', `workflow bundle failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
