// What went wrong, in words for the person at the terminal, and the exit code a script can test.
// Every failure the CLI knows of becomes a CliError; anything else is reported by its message only.
import { isGrpcServiceError, NamespaceNotFoundError, ServiceError, WorkflowNotFoundError } from '@temporalio/client';

export const ExitCode = {
  ok: 0,
  /** No such canary, the watched rollout failed, or another failure. */
  failure: 1,
  /** Temporal could not be reached or did not answer. */
  unreachable: 2,
  /** Temporal answered, but no Perch worker answered the state query. */
  noWorker: 3,
  /** Bad command line (the conventional EX_USAGE). */
  usage: 64,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `
Exit codes:
  0   success
  1   no such canary is managed by Perch, the watched rollout failed (status --until-finished),
      or another failure
  2   Temporal could not be reached, or has no such namespace (see Environment)
  3   Temporal answered but no Perch worker answered the state query
  64  bad command line (usage)`;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

export function unknownCanary(target: string): CliError {
  return new CliError(`no canary ${target} is managed by Perch (no running workflow for it in Temporal)`, ExitCode.failure);
}

export const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;
/** The server could not be reached, or did not answer in time. */
const UNREACHABLE_CODES: ReadonlySet<number> = new Set([GRPC_UNAVAILABLE, GRPC_DEADLINE_EXCEEDED]);

/**
 * Turns an error from a Temporal call into a CliError. `target` names the canary the call was
 * about, if any; `address` is where Temporal was looked for.
 */
export function explain(err: unknown, address: string, target?: string): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof WorkflowNotFoundError && target !== undefined) return unknownCanary(target);
  if (err instanceof NamespaceNotFoundError) {
    return new CliError(`Temporal at ${address} has no namespace "${err.namespace}" (TEMPORAL_NAMESPACE)`, ExitCode.unreachable);
  }
  const grpc = grpcCause(err);
  if (grpc !== undefined && UNREACHABLE_CODES.has(grpc.code)) {
    return new CliError(`cannot reach Temporal at ${address}: ${grpc.details || grpc.message}`, ExitCode.unreachable);
  }
  return new CliError(messageOf(err), ExitCode.failure);
}

/** A failed Connection.connect: always the server's fault, whatever the cause. */
export function connectFailed(err: unknown, address: string): CliError {
  const cause = err instanceof ServiceError && err.cause !== undefined ? `${messageOf(err)}: ${messageOf(err.cause)}` : messageOf(err);
  return new CliError(`cannot reach Temporal at ${address}: ${cause}`, ExitCode.unreachable);
}

/** The gRPC status code behind an error from a Temporal call, if there is one. */
export function grpcCode(err: unknown): number | undefined {
  return grpcCause(err)?.code;
}

function grpcCause(err: unknown): { code: number; details: string; message: string } | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 5; depth++) {
    if (isGrpcServiceError(e)) return e;
    e = e instanceof Error ? e.cause : undefined;
  }
  return undefined;
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}
