// One JSON object per line on stdout, text in `msg`, as Flagger's logs are read (`jq .msg`).
export type LogLevel = 'info' | 'warn' | 'error';

export type LogFields = Record<string, string | number | boolean>;

/** Fixed keys come first and cannot be overwritten by a field of the same name. */
export function log(level: LogLevel, msg: string, fields: LogFields = {}): void {
  const record: LogFields = { level, ts: new Date().toISOString(), msg };
  for (const [k, v] of Object.entries(fields)) if (!(k in record)) record[k] = v;
  process.stdout.write(`${JSON.stringify(record)}\n`);
}
