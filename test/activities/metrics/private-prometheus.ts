// A Prometheus of the test's own (the stack's binary, its own port and empty data folder), for what
// the stack's long-running one cannot show: a Prometheus that has just started, or that scrapes
// nothing. Stopped and deleted by the test.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '../../../src/metrics/sdk-metrics';
import { eventually } from '../../support/stack';

const binary = join(process.env.PERCH_CACHE ?? join(homedir(), '.cache', 'perch'), 'bin', 'prometheus');

export class PrivatePrometheus {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'perch-prometheus-'));
  url = '';

  /** `target`: the one `host:port` it scrapes, every `scrapeInterval`. */
  constructor(
    private readonly target: string,
    private readonly scrapeInterval: string,
  ) {}

  async start(): Promise<void> {
    const port = await freeLoopbackPort();
    const config = join(this.dir, 'prometheus.yml');
    writeFileSync(
      config,
      `global: {scrape_interval: ${this.scrapeInterval}}\nscrape_configs:\n- job_name: only\n  static_configs: [{targets: ['${this.target}']}]\n`,
    );
    this.child = spawn(
      binary,
      [`--config.file=${config}`, `--storage.tsdb.path=${join(this.dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: 'ignore' },
    );
    this.url = `http://127.0.0.1:${port}`;
    await eventually('the private Prometheus ready', 60_000, async () =>
      (await fetch(`${this.url}/-/ready`).catch(() => undefined))?.ok ? true : undefined,
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
