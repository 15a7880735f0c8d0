// The `perch` command line: commands, options, help, and how every outcome becomes an exit code.
// Errors are reported as one line on stderr, never as a stack trace.
import { Command, CommanderError, Option } from 'commander';
import { type CanaryRef, parseLimit, parseNamespace, parseTarget } from './args';
import { withTemporal } from './client';
import { historyCommand } from './commands/history';
import { listCommand } from './commands/list';
import { signalCommand } from './commands/signal';
import { statusCommand } from './commands/status';
import { CliError, EXIT_CODES_HELP, ExitCode, messageOf } from './errors';
import { type Out, type OutputFormat, SIGNAL_HELP, SIGNALS } from './render';

const ENVIRONMENT_HELP = `
Environment:
  TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE
                where Temporal is, read as the temporal CLI reads it (default 127.0.0.1:7233)
  PERCH_UI_URL  the Temporal UI, for links (default http://127.0.0.1:8233)`;

const TARGET = '<namespace/name>';

export interface Io {
  env: NodeJS.ProcessEnv;
  stdout: Out;
  stderr: Out;
}

function outputOption(): Option {
  return new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text');
}

function build(io: Io, setCode: (code: ExitCode) => void): Command {
  const print = (text: string) => { io.stdout.write(`${text}\n`); };
  const program = new Command('perch')
    .description('Look at and steer the canary rollouts Perch runs on Temporal.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `${ENVIRONMENT_HELP}\n${EXIT_CODES_HELP}`);

  program.command('list')
    .description('list the canaries Perch manages, with phase, weight, target and revision')
    .option('-n, --namespace <namespace>', 'only canaries in this Kubernetes namespace', parseNamespace)
    .addOption(outputOption())
    .action(async (opts: { namespace?: string; output: OutputFormat }) => {
      print(await withTemporal((t) => listCommand(t, opts), io.env));
    });

  program.command('status')
    .description("show a canary's rollout: phase, weight, checks, and its Temporal UI page")
    .argument(TARGET, 'the Canary, e.g. test/podinfo', parseTarget)
    .option('-w, --watch', 'redraw every second until Ctrl-C')
    .option('--until-finished', 'with --watch: exit once a rollout seen in progress ends (0 Succeeded, 1 Failed)')
    .addOption(outputOption())
    .action(async (ref: CanaryRef, opts: { watch?: boolean; untilFinished?: boolean; output: OutputFormat }) => {
      setCode(await withTemporal((t) => statusCommand(t, ref, {
        watch: opts.watch === true || opts.untilFinished === true, untilFinished: opts.untilFinished === true, output: opts.output, env: io.env,
      }, io.stdout), io.env));
    });

  program.command('history')
    .description("list a canary's past rollouts, newest first, with outcome, reason and duration")
    .argument(TARGET, 'the Canary, e.g. test/podinfo', parseTarget)
    .option('--limit <n>', 'show at most n rollouts', parseLimit, 20)
    .addOption(outputOption())
    .action(async (ref: CanaryRef, opts: { limit: number; output: OutputFormat }) => {
      print(await withTemporal((t) => historyCommand(t, ref, opts), io.env));
    });

  for (const signal of SIGNALS) {
    program.command(signal)
      .description(SIGNAL_HELP[signal])
      .argument(TARGET, 'the Canary, e.g. test/podinfo', parseTarget)
      .action(async (ref: CanaryRef) => {
        print(await withTemporal((t) => signalCommand(t, ref, signal), io.env));
      });
  }
  return program;
}

/** Runs the command line `argv` (without node and the script); returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  let code: ExitCode = ExitCode.ok;
  const program = build(io, (c) => { code = c; });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    // Commander has printed its own message (usage errors) or the help already.
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    io.stderr.write(`perch: ${err instanceof CliError ? err.message : messageOf(err)}\n`);
    return err instanceof CliError ? err.exitCode : ExitCode.failure;
  }
}
