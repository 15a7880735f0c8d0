// Failures become one line and an exit code: an unknown canary, Temporal out of reach, a wrong
// namespace; anything else is reported by its first line only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NamespaceNotFoundError, ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { CliError, connectFailed, ExitCode, explain } from '../../src/cli/errors';

/** What @grpc/grpc-js rejects a call with. */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

describe('cli errors', () => {
  it('names an unknown canary', () => {
    const e = explain(new WorkflowNotFoundError('workflow not found', 'canary/test/x', undefined), '127.0.0.1:7233', 'test/x');
    assert.equal(e.exitCode, ExitCode.failure);
    assert.match(e.message, /^no canary test\/x is managed by Perch/);
  });

  it('says where Temporal was looked for when it cannot be reached', () => {
    const unavailable = explain(new ServiceError('Failed to query workflow', { cause: grpcError(14, 'No connection established') }), '10.0.0.1:7233');
    assert.equal(unavailable.exitCode, ExitCode.unreachable);
    assert.equal(unavailable.message, 'cannot reach Temporal at 10.0.0.1:7233: No connection established');
    const connect = connectFailed(new Error('Failed to connect before the deadline'), '127.0.0.1:1');
    assert.equal(connect.exitCode, ExitCode.unreachable);
    assert.equal(connect.message, 'cannot reach Temporal at 127.0.0.1:1: Failed to connect before the deadline');
  });

  it('names a Temporal namespace that does not exist', () => {
    const e = explain(new NamespaceNotFoundError('nope'), '127.0.0.1:7233');
    assert.equal(e.exitCode, ExitCode.unreachable);
    assert.match(e.message, /no namespace "nope"/);
  });

  it('keeps the first line of anything else, and passes CliErrors through', () => {
    const e = explain(new Error('boom\n    at somewhere (file.js:1:1)'), 'a');
    assert.equal(e.message, 'boom');
    assert.equal(e.exitCode, ExitCode.failure);
    const own = new CliError('mine', ExitCode.noWorker);
    assert.equal(explain(own, 'a'), own);
  });
});
