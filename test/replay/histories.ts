// Loads the recorded histories in test/histories: JSON as `temporal workflow show -o json` writes it.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';

/** test/histories, from dist/test/replay/ where this runs (tsc does not copy JSON to dist). */
export const HISTORIES_DIR = path.resolve(__dirname, '../../../test/histories');

export interface RecordedHistory {
  /** The file's name without .json: what the run covers. */
  name: string;
  history: History;
}

export function recordedHistories(dir = HISTORIES_DIR): RecordedHistory[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.slice(0, -'.json'.length), history: parseHistory(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))) }));
}

interface ProtoJson {
  fromJson: (type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }) => unknown;
}

/**
 * The documented parser, historyFromJSON from @temporalio/common, throws "type must be a Type" in
 * this install: npm gave @temporalio/common and @temporalio/proto separate copies of protobufjs 8
 * (protobufjs 7, for @grpc/proto-loader, holds the top-level slot), and the parser checks
 * `instanceof Type` against its own copy. Parsing with the copy @temporalio/proto itself uses gives
 * the same History, and stays right if the copies are ever deduplicated.
 */
function parseHistory(json: unknown): History {
  const { fromJson } = createRequire(require.resolve('@temporalio/proto'))('protobufjs/ext/protojson') as ProtoJson;
  // Fields a newer server adds are not ours to judge; the replay checks the commands that matter.
  return fromJson(temporal.api.history.v1.History, json, { ignoreUnknownFields: true }) as History;
}
