// `perch status ns/name [--watch [--until-finished]]`: where the rollout stands, as the workflow
// answers its `state` query, with the workflow's page in the Temporal UI.
import { type CanaryRef, refText } from '../args';
import { type Temporal } from '../client';
import { CliError, ExitCode, messageOf } from '../errors';
import { DEFAULT_UI_URL, uiLink } from '../format';
import { type Out, type OutputFormat, renderStatus } from '../render';
import { RolloutTracker } from '../watch';

export interface StatusOptions {
  watch: boolean;
  untilFinished: boolean;
  output: OutputFormat;
  env: NodeJS.ProcessEnv;
}

const REDRAW_MS = 1_000;

interface Snapshot {
  phase: string;
  lastEvent?: string;
  text: string;
}

async function snapshot(t: Temporal, ref: CanaryRef, opts: StatusOptions): Promise<Snapshot> {
  const description = await t.describe(ref);
  const view = await t.state(ref, description.taskQueue);
  const ui = uiLink(opts.env.PERCH_UI_URL || DEFAULT_UI_URL, t.namespace, description.workflowId);
  const text =
    opts.output === 'json'
      ? JSON.stringify({ canary: refText(ref), ...view, ui, workflowId: description.workflowId, runId: description.runId }, null, opts.watch ? 0 : 2)
      : renderStatus({ canary: refText(ref), view, ui });
  return { phase: view.phase, lastEvent: view.lastEvent, text };
}

/** Prints the status once, or keeps printing it; returns the exit code. */
export async function statusCommand(t: Temporal, ref: CanaryRef, opts: StatusOptions, out: Out = process.stdout): Promise<ExitCode> {
  if (!opts.watch && !opts.untilFinished) {
    out.write(`${(await snapshot(t, ref, opts)).text}\n`);
    return ExitCode.ok;
  }
  const tracker = new RolloutTracker();
  // On a terminal the screen is redrawn; into a pipe or file each change is printed once.
  const redraw = out.isTTY === true && opts.output === 'text';
  let last: string | undefined;
  let first = true;
  for (;;) {
    let frame: string;
    let s: Snapshot | undefined;
    try {
      s = await snapshot(t, ref, opts);
      frame = s.text;
    } catch (err) {
      // A canary that is gone ends the watch; Temporal or the worker away for a moment does not.
      if (first || !(err instanceof CliError) || err.exitCode === ExitCode.failure) throw err;
      frame = `(${messageOf(err)}; trying again)`;
    }
    first = false;
    if (redraw) {
      out.write(`\x1b[H\x1b[2JEvery ${REDRAW_MS / 1000}s: perch status ${refText(ref)}    ${new Date().toISOString()}\n\n${frame}\n`);
    } else if (frame !== last) {
      out.write(opts.output === 'json' ? `${frame}\n` : `${last === undefined ? '' : '\n'}${frame}\n`);
    }
    last = frame;
    const outcome = opts.untilFinished && s !== undefined ? tracker.observe(s.phase) : undefined;
    if (outcome === 'succeeded') return ExitCode.ok;
    if (outcome === 'failed') throw new CliError(`the rollout of ${refText(ref)} failed${s?.lastEvent ? `: ${s.lastEvent}` : ''}`, ExitCode.failure);
    await new Promise((r) => setTimeout(r, REDRAW_MS));
  }
}
