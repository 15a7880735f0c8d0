// Writes a bench run into docs/performance.md: the tables of its results.json replace what stands
// between the "bench:begin" and "bench:end" markers, and its figures and charts are copied next to
// the page. Works from results.json alone, so a run cut short still documents what it measured.
// When docs/performance/before.json holds an earlier run, a before/after table compares the two.
// Usage: node dist/test/bench/docs.js <bench output dir> <docs/performance.md>
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Results } from './main';
import { beforeAfter } from './compare';
import { report } from './report';

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
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
  const beforePath = join(imageDir, 'before.json');
  const compared = existsSync(beforePath)
    ? `### Before and after\n\nPerch before its performance changes ([performance/before.json](performance/before.json)) and now, each beside Flagger in the same run.\n\n${beforeAfter(JSON.parse(readFileSync(beforePath, 'utf8')) as Results, results)}`
    : '';
  const body = [report(results).trim(), compared, charts.join('\n'), 'The figures as JSON: [performance/results.json](performance/results.json).']
    .filter(Boolean)
    .join('\n\n');
  writeFileSync(page, `${before}${BEGIN}\n${body}\n${rest}`);
}

const [out, page] = process.argv.slice(2);
if (!out || !page) {
  process.stderr.write('usage: docs.js <bench output dir> <docs/performance.md>\n');
  process.exit(2);
}
main(out, page);
