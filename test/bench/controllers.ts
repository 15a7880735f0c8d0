// The two controllers under comparison, each a set of processes restricted to its own namespace:
// Perch's worker and watcher (test/support/perch.ts, with the prebuilt workflow bundle the image
// uses), and Flagger 1.44 run as a binary against the same stack (-mesh-provider=contour).
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeLoopbackPort } from '../../src/metrics/sdk-metrics';
import { Perch } from '../support/perch';
import { eventually, runDir, stack } from '../support/stack';

export type ControllerKind = 'perch' | 'flagger';

export interface Controller {
  readonly kind: ControllerKind;
  readonly namespace: string;
  /** Starts the processes; resolves once they are ready (informers synced, worker polling). */
  start(): Promise<void>;
  /** The processes to measure, by role (Perch: worker, watcher; Flagger: flagger). */
  processes(): Record<string, number[]>;
  /** The JSON logs in which it reports each Event it records. */
  eventLogs(): string[];
  stop(): Promise<void>;
}

export interface BenchTools {
  /** The Flagger binary (scripts/install/flagger.sh builds it). */
  flagger: string;
}

const logged = (file: string, text: string) => existsSync(file) && readFileSync(file, 'utf8').includes(text);

export class PerchController implements Controller {
  readonly kind = 'perch';
  private readonly perch: Perch;

  /** `roles`: the crowded scenario measures the watcher alone. */
  constructor(
    readonly namespace: string,
    tools: BenchTools,
    private readonly roles: readonly ('worker' | 'watcher')[] = ['worker', 'watcher'],
  ) {
    this.perch = new Perch(namespace);
  }

  get taskQueue(): string {
    return this.perch.taskQueue;
  }

  async start(): Promise<void> {
    for (const role of this.roles) this.perch.start(role);
    for (const role of this.roles) {
      const file = this.perch.logFile(role);
      await eventually(`Perch ${role} started (${file})`, 120_000, () => Promise.resolve(logged(file, `"${role} started"`) ? true : undefined));
    }
  }

  processes(): Record<string, number[]> {
    return Object.fromEntries(this.roles.map((role) => [role, [this.perch.pid(role) ?? 0].filter((p) => p > 0)]));
  }

  eventLogs(): string[] {
    return this.roles.includes('worker') ? [this.perch.logFile('worker')] : [];
  }

  /** Also terminates this task queue's workflows. */
  stop(): Promise<void> {
    return this.perch.stop();
  }
}

export class FlaggerController implements Controller {
  readonly kind = 'flagger';
  private child: ChildProcess | undefined;
  readonly logFile: string;

  constructor(
    readonly namespace: string,
    private readonly tools: BenchTools,
  ) {
    this.logFile = join(runDir(), 'logs', `bench-flagger-${namespace}.log`);
  }

  async start(): Promise<void> {
    const s = stack();
    const port = await freeLoopbackPort();
    // Afresh for each start: readiness and Events are read from this run's lines only.
    writeFileSync(this.logFile, '');
    this.child = spawn(
      this.tools.flagger,
      [
        `-kubeconfig=${s.kubeconfig}`,
        '-mesh-provider=contour',
        `-namespace=${this.namespace}`,
        `-metrics-server=${s.prometheus}`,
        `-port=${port}`,
        '-log-level=info',
      ],
      {
        // Webhooks to in-cluster names (flagger-loadtester.test) go through the simulator's cluster
        // proxy, as Perch's do; Go's default transport honours HTTP_PROXY.
        env: { ...process.env, HTTP_PROXY: s.clusterProxy, NO_PROXY: '127.0.0.1,localhost' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const out = createWriteStream(this.logFile, { flags: 'a' });
    this.child.stdout?.pipe(out);
    this.child.stderr?.pipe(out);
    const child = this.child;
    await eventually(`Flagger started (${this.logFile})`, 120_000, () => {
      if (child.exitCode !== null) throw new Error(`Flagger exited with ${child.exitCode}; see ${this.logFile}`);
      return Promise.resolve(logged(this.logFile, 'Started operator workers') ? true : undefined);
    });
  }

  processes(): Record<string, number[]> {
    const pid = this.child?.exitCode === null ? this.child.pid : undefined;
    return { flagger: pid ? [pid] : [] };
  }

  eventLogs(): string[] {
    return [this.logFile];
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
