// What every scenario shares: the stack's clients, the tools, and the measurements of one rollout
// as its Events show it, the same way for Perch and for Flagger.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { Client, Connection } from '@temporalio/client';
import { type BenchTools, type Controller } from './controllers';
import { processGroup, Sampler, type Usage } from './proc';
import { type Recorder } from './recorder';
import { kubeConfig, runDir, stack } from '../support/stack';

export interface Bench {
  kc: k8s.KubeConfig;
  temporal: Client;
  tools: BenchTools;
  /** Progress lines on stderr, so stdout stays the tables. */
  say(line: string): void;
}

export async function openBench(tools: BenchTools): Promise<Bench & { close(): Promise<void> }> {
  const connection = await Connection.connect({ address: stack().temporal });
  const started = Date.now();
  return {
    kc: kubeConfig(),
    temporal: new Client({ connection }),
    tools,
    say: (line) => process.stderr.write(`[bench +${Math.round((Date.now() - started) / 1000)}s] ${line}\n`),
    close: () => connection.close(),
  };
}

/** The process group a stack part was started in, from its pid file; undefined when there is none. */
function partGroup(part: string): number | undefined {
  try {
    const pgid = Number(readFileSync(join(runDir(), 'pids', `${part}.pid`), 'utf8'));
    return pgid > 0 ? pgid : undefined;
  } catch {
    return undefined;
  }
}

/** The Temporal dev server: the process group the stack started it in. */
export function temporalPids(): number[] {
  const pgid = partGroup('temporal');
  return pgid === undefined ? [] : processGroup(pgid);
}

/** The local cluster's own parts: what both controllers share besides the machine. */
const CLUSTER_PARTS = ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'contour'];

/** The local cluster: the process groups of its parts that have a pid file. */
export function clusterPids(): number[] {
  const pgids = CLUSTER_PARTS.flatMap((part) => partGroup(part) ?? []);
  return pgids.length === 0 ? [] : processGroup(...pgids);
}

/** A sampler over both controllers' processes, by role, Temporal's and the local cluster's (`cluster`). */
export function sampler(controllers: readonly Controller[]): Sampler {
  return new Sampler(
    () => Object.assign({ temporal: temporalPids(), cluster: clusterPids() }, ...controllers.map((c) => c.processes())) as Record<string, number[]>,
  );
}

/** RSS (MiB) and CPU (s) by role, each rounded for the report. */
export type Footprint = Record<string, { rssMiB: number; cpuSeconds: number }>;

export function footprint(now: Record<string, Usage>, since: Record<string, Usage> = {}): Footprint {
  return Object.fromEntries(
    Object.entries(now).map(([role, u]) => [
      role,
      {
        rssMiB: Math.round(u.rssMiB),
        cpuSeconds: round2(u.cpuSeconds - (since[role]?.cpuSeconds ?? 0)),
      },
    ]),
  );
}

export const round2 = (x: number) => Math.round(x * 100) / 100;

/** Perch's roles in a Footprint (Temporal is shown beside them, not added). */
export const PERCH_ROLES = ['worker', 'watcher'];

/** The sum of `key` over a footprint's roles (all, or those named). */
export const total = (f: Footprint | undefined, key: 'rssMiB' | 'cpuSeconds', roles?: readonly string[]) =>
  Object.entries(f ?? {})
    .filter(([role]) => !roles || roles.includes(role))
    .reduce((s, [, u]) => s + u[key], 0);
const seconds = (ms: number) => round2(ms / 1000);

export interface RolloutTimes {
  /** Image set → "New revision detected! Scaling up", s. */
  detectS?: number;
  /** Image set → the final Event (promotion completed or canary failed), s. */
  doneS?: number;
  /** Arrival times of the "Advance ... canary weight N" Events, ms since the epoch. */
  advances: number[];
  /** When the final Event arrived, ms since the epoch. */
  doneAt?: number;
}

export const NEW_REVISION = 'New revision detected! Scaling up';
export const PROMOTED = 'Promotion completed!';
export const FAILED = 'Canary failed!';

export function rolloutTimes(rec: Recorder, canary: string, setAt: number, endPrefix: string): RolloutTimes {
  const detect = rec.first(canary, NEW_REVISION, setAt);
  const done = rec.first(canary, endPrefix, setAt);
  const advances = rec
    .all(canary, 'Advance ', setAt, done?.at)
    .filter((e) => e.text.includes(' canary weight '))
    .map((e) => e.at);
  return { detectS: detect && seconds(detect.at - setAt), doneS: done && seconds(done.at - setAt), advances, doneAt: done?.at };
}

/** The time between consecutive steps, s. */
export const periods = (advances: readonly number[]) => advances.slice(1).map((t, i) => seconds(t - (advances[i] ?? t)));

/** How late each step came against a fixed schedule from the first step, s (the first step is the origin). */
export const lateness = (advances: readonly number[], intervalS: number) =>
  advances.slice(1).map((t, i) => seconds(t - (advances[0] ?? t) - (i + 1) * intervalS * 1000));

export { seconds };
