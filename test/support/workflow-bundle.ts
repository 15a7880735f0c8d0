// The workflow bundle `npm run build` writes (src/tools/bundle-workflows.ts): tests and the workers
// they start load it instead of running webpack each, as the image's worker does.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** dist/workflow-bundle.js; this file runs as dist/test/support/workflow-bundle.js. */
export const WORKFLOW_BUNDLE = join(__dirname, '..', '..', 'workflow-bundle.js');

/** The bundle's path, or a clear failure when the build has not written it. */
export function workflowBundlePath(): string {
  if (!existsSync(WORKFLOW_BUNDLE)) throw new Error(`${WORKFLOW_BUNDLE} is missing: run \`npm run build\` first`);
  return WORKFLOW_BUNDLE;
}
