// The `perch` command line: commands, options, help, and how every outcome becomes an exit code.
// Errors are reported as one line on stderr, never as a stack trace.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { perchVersion } from '../version';
import { type CanaryRef, parseLimit, parseNamespace, parseTarget, resolveTarget, type TargetArg } from './args';
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

const KUBECTL_HELP = `
  KUBECONFIG    as for kubectl: a canary named without a namespace, and list, use the current
                context's namespace (default: "default")`;

const TARGET = '<[namespace/]name>';

/**
 * How the program was started: as `perch`, or as the kubectl plugin `kubectl perch`, which follows
 * kubectl: without -n, commands use the kubeconfig's current namespace.
 */
export type Invocation = { name: 'perch' } | { name: 'kubectl perch'; currentNamespace: () => string };

export interface Io {
  env: NodeJS.ProcessEnv;
  stdout: Out;
  stderr: Out;
  invocation?: Invocation;
}

function outputOption(): Option {
  return new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text');
}

function namespaceOption(): Option {
  return new Option('-n, --namespace <namespace>', 'the Kubernetes namespace of the canary, when the target names none').argParser(parseNamespace);
}

/** Reports a command line that does not add up as commander reports its own usage errors (exit 64). */
function usage<T>(command: Command, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof InvalidArgumentError) command.error(`error: ${err.message}`, { exitCode: ExitCode.usage });
    throw err;
  }
}

function build(io: Io, setCode: (code: ExitCode) => void): Command {
  const invocation = io.invocation ?? { name: 'perch' };
  const currentNamespace = invocation.name === 'kubectl perch' ? invocation.currentNamespace : undefined;
  const print = (text: string) => {
    io.stdout.write(`${text}\n`);
  };
  const program = new Command(invocation.name)
    .description('Look at and steer the canary rollouts Perch runs on Temporal.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `${ENVIRONMENT_HELP}${currentNamespace ? KUBECTL_HELP : ''}\n${EXIT_CODES_HELP}`);
  const targetHelp = currentNamespace
    ? 'the Canary, e.g. test/podinfo, or podinfo in the namespace of -n or the kubeconfig'
    : 'the Canary, e.g. test/podinfo, or podinfo with -n test';
  const target = (command: Command, arg: TargetArg, namespace: string | undefined): CanaryRef =>
    usage(command, () => resolveTarget(arg, namespace, currentNamespace));

  program
    .command('list')
    .description('list the canaries Perch manages, with phase, weight, target and revision')
    .option(
      '-n, --namespace <namespace>',
      `only canaries in this Kubernetes namespace${currentNamespace ? " (default: the kubeconfig's)" : ''}`,
      parseNamespace,
    )
    .addOption(new Option('-A, --all-namespaces', `canaries in every namespace${currentNamespace ? '' : ' (the default)'}`).conflicts('namespace'))
    .addOption(outputOption())
    .action(async (opts: { namespace?: string; allNamespaces?: boolean; output: OutputFormat }) => {
      const namespace = opts.allNamespaces ? undefined : (opts.namespace ?? currentNamespace?.());
      print(await withTemporal((t) => listCommand(t, { namespace, output: opts.output }), io.env));
    });

  program
    .command('status')
    .description("show a canary's rollout: phase, weight, checks, and its Temporal UI page")
    .argument(TARGET, targetHelp, parseTarget)
    .addOption(namespaceOption())
    .option('-w, --watch', 'redraw every second until Ctrl-C')
    .option('--until-finished', 'with --watch: exit once a rollout seen in progress ends (0 Succeeded, 1 Failed)')
    .addOption(outputOption())
    .action(
      async (arg: TargetArg, opts: { namespace?: string; watch?: boolean; untilFinished?: boolean; output: OutputFormat }, command: Command) => {
        const ref = target(command, arg, opts.namespace);
        setCode(
          await withTemporal(
            (t) =>
              statusCommand(
                t,
                ref,
                {
                  watch: opts.watch === true || opts.untilFinished === true,
                  untilFinished: opts.untilFinished === true,
                  output: opts.output,
                  env: io.env,
                },
                io.stdout,
              ),
            io.env,
          ),
        );
      },
    );

  program
    .command('history')
    .description("list a canary's past rollouts, newest first, with outcome, reason and duration")
    .argument(TARGET, targetHelp, parseTarget)
    .addOption(namespaceOption())
    .option('--limit <n>', 'show at most n rollouts', parseLimit, 20)
    .addOption(outputOption())
    .action(async (arg: TargetArg, opts: { namespace?: string; limit: number; output: OutputFormat }, command: Command) => {
      const ref = target(command, arg, opts.namespace);
      print(await withTemporal((t) => historyCommand(t, ref, opts), io.env));
    });

  for (const signal of SIGNALS) {
    program
      .command(signal)
      .description(SIGNAL_HELP[signal])
      .argument(TARGET, targetHelp, parseTarget)
      .addOption(namespaceOption())
      .action(async (arg: TargetArg, opts: { namespace?: string }, command: Command) => {
        const ref = target(command, arg, opts.namespace);
        print(await withTemporal((t) => signalCommand(t, ref, signal), io.env));
      });
  }

  program
    .command('version')
    .description("print Perch's version (the worker reports the same in flagger_info)")
    .action(() => {
      print(`perch ${perchVersion()}`);
    });
  return program;
}

/** Runs the command line `argv` (without node and the script); returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  let code: ExitCode = ExitCode.ok;
  const program = build(io, (c) => {
    code = c;
  });
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
