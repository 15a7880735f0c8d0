// One JSON line per log record, with the text in `msg`, as Flagger's logs are read with `jq .msg`.
export function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, string | number> = {}): void {
  process.stdout.write(JSON.stringify({ level, ts: new Date().toISOString(), msg, ...fields }) + '\n');
}
