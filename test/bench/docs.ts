// Writes a bench run into docs/performance.md: its report replaces what stands between the
// "bench:begin" and "bench:end" markers, and its charts are copied next to the page.
// Usage: node dist/test/bench/docs.js <bench output dir> <docs/performance.md>
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';
const CHARTS = ['lateness.png', 'rss.png'];

function main(out: string, page: string): void {
  const text = readFileSync(page, 'utf8');
  const [before, rest] = [text.slice(0, text.indexOf(BEGIN)), text.slice(text.indexOf(END))];
  if (!text.includes(BEGIN) || !text.includes(END)) throw new Error(`${page} has no ${BEGIN} ... ${END} section`);
  const imageDir = join(dirname(page), 'performance');
  mkdirSync(imageDir, { recursive: true });
  const charts = CHARTS.filter((c) => existsSync(join(out, c))).map((c) => {
    copyFileSync(join(out, c), join(imageDir, c));
    return `![${basename(c, '.png')}](performance/${c})`;
  });
  copyFileSync(join(out, 'results.json'), join(imageDir, 'results.json'));
  const body = [readFileSync(join(out, 'report.md'), 'utf8').trim(), charts.join('\n'), 'The figures as JSON: [performance/results.json](performance/results.json).']
    .filter(Boolean).join('\n\n');
  writeFileSync(page, `${before}${BEGIN}\n${body}\n${rest}`);
}

const [out, page] = process.argv.slice(2);
if (!out || !page) {
  process.stderr.write('usage: docs.js <bench output dir> <docs/performance.md>\n');
  process.exit(2);
}
main(out, page);
