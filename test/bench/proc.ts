// CPU and memory of the processes under test, read from /proc: the same figures for a Node process,
// a Go binary and the Temporal dev server's process group, with no agent inside any of them.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS = 100;

export interface Usage {
  /** User plus system CPU since the processes started, in seconds. */
  cpuSeconds: number;
  /** Resident memory now, in MiB. */
  rssMiB: number;
}

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function one(pid: number): Usage {
  const f = statFields(pid);
  if (!f) return { cpuSeconds: 0, rssMiB: 0 };
  // After the name: state(3) ppid(4) pgrp(5) ... utime(14) stime(15); index = field - 3.
  const cpuSeconds = (Number(f[11]) + Number(f[12])) / TICKS;
  let rssMiB = 0;
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    rssMiB = kb ? Number(kb[1]) / 1024 : 0;
  } catch {
    // Gone between the two reads: its memory is no longer held.
  }
  return { cpuSeconds, rssMiB };
}

/** The summed usage of `pids` (a process that has exited counts as zero). */
export function usage(pids: readonly number[]): Usage {
  return pids.map(one).reduce((a, b) => ({ cpuSeconds: a.cpuSeconds + b.cpuSeconds, rssMiB: a.rssMiB + b.rssMiB }), { cpuSeconds: 0, rssMiB: 0 });
}

/** Every process whose process group is one of `pgids` (stack parts started with setsid, and their children). */
export function processGroup(...pgids: number[]): number[] {
  const groups = new Set(pgids.map(String));
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => groups.has(statFields(pid)?.[2] ?? ''));
}

/** The machine: cores, memory, CPU model and the load average when asked. */
export function machine(): { cores: number; memoryGiB: number; cpu: string; load1: number } {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const mem = /^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  return {
    cores: (cpuinfo.match(/^processor\s*:/gm) ?? []).length,
    memoryGiB: Math.round(Number(mem?.[1] ?? 0) / 1024 / 1024),
    cpu: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    load1: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
  };
}

/** The whole machine's CPU time from /proc/stat, in ticks over all cores: in total, and idle (idle + iowait). */
export interface CpuTimes {
  total: number;
  idle: number;
}

/** The aggregate `cpu` line of /proc/stat's text: user nice system idle iowait irq softirq steal (guest is in user). */
export function cpuTimes(stat: string): CpuTimes {
  const ticks = (/^cpu\s+(.*)$/m.exec(stat)?.[1] ?? '').trim().split(/\s+/).map(Number).slice(0, 8);
  return { total: ticks.reduce((a, b) => a + b, 0), idle: (ticks[3] ?? 0) + (ticks[4] ?? 0) };
}

/** How busy the machine was over a phase, from /proc/stat read at a fixed interval. */
export interface MachineLoad {
  /** Busy CPU over all CPU, over the whole phase, 0..1. */
  busyFraction: number;
  /** Seconds in intervals with the machine at least SATURATED busy. */
  saturatedS: number;
  /** The longest run of consecutive such intervals, s. */
  longestSaturatedS: number;
  /** /proc/stat readings taken. */
  samples: number;
  /** Each saturated stretch as [from, to], ms since the epoch; absent in older runs. */
  saturatedSpans?: [number, number][];
}

/** A busy fraction at which the machine counts as saturated. */
const SATURATED = 0.95;

/** Whether the machine was saturated between two readings. */
function saturated(prev: CpuTimes, next: CpuTimes): boolean {
  const total = next.total - prev.total;
  return total > 0 && (total - (next.idle - prev.idle)) / total >= SATURATED;
}

/** What a series of readings adds up to, folded one reading at a time (loadOf). */
interface LoadTally {
  busy: number;
  total: number;
  samples: number;
  saturated: number;
  run: number;
  longest: number;
}

const NO_LOAD: LoadTally = { busy: 0, total: 0, samples: 0, saturated: 0, run: 0, longest: 0 };

/** The tally with one more reading, `next`, taken an interval after `prev` (undefined for the first). */
function addReading(t: LoadTally, prev: CpuTimes | undefined, next: CpuTimes): LoadTally {
  if (!prev) return { ...t, samples: t.samples + 1 };
  const total = next.total - prev.total;
  const busy = total - (next.idle - prev.idle);
  const hot = saturated(prev, next);
  const run = hot ? t.run + 1 : 0;
  return {
    busy: t.busy + busy,
    total: t.total + total,
    samples: t.samples + 1,
    saturated: t.saturated + (hot ? 1 : 0),
    run,
    longest: Math.max(t.longest, run),
  };
}

/** The figures of a tally whose readings were `intervalS` apart. */
function machineLoad(t: LoadTally, intervalS: number): MachineLoad {
  const s = (intervals: number) => Math.round(intervals * intervalS * 100) / 100;
  return {
    busyFraction: t.total > 0 ? Math.round((t.busy / t.total) * 1000) / 1000 : 0,
    saturatedS: s(t.saturated),
    longestSaturatedS: s(t.longest),
    samples: t.samples,
  };
}

/** The figures of a series of readings `intervalS` apart. */
export const loadOf = (readings: readonly CpuTimes[], intervalS: number): MachineLoad =>
  machineLoad(
    readings.reduce((t, r, i) => addReading(t, readings[i - 1], r), NO_LOAD),
    intervalS,
  );

/** A reading and when it was taken, ms since the epoch. */
export interface TimedCpuTimes extends CpuTimes {
  at: number;
}

/** The stretches of consecutive saturated intervals, each as [from, to] in ms since the epoch. */
export function saturatedSpans(readings: readonly TimedCpuTimes[]): [number, number][] {
  const spans: [number, number][] = [];
  readings.forEach((next, i) => {
    const prev = readings[i - 1];
    if (prev === undefined || !saturated(prev, next)) return;
    const last = spans[spans.length - 1];
    if (last !== undefined && last[1] === prev.at) last[1] = next.at;
    else spans.push([prev.at, next.at]);
  });
  return spans;
}

/** Runs `phase` while reading /proc/stat every `ms`; answers its result and how busy the machine was meanwhile. */
export async function whileSampling<T>(phase: () => Promise<T>, ms = 250): Promise<[T, MachineLoad]> {
  const read = (): TimedCpuTimes => ({ ...cpuTimes(readFileSync('/proc/stat', 'utf8')), at: Date.now() });
  const readings = [read()];
  const timer = setInterval(() => readings.push(read()), ms);
  try {
    const result = await phase();
    return [result, { ...loadOf(readings, ms / 1000), saturatedSpans: saturatedSpans(readings) }];
  } finally {
    clearInterval(timer);
  }
}

/**
 * Samples named groups of processes once a second and keeps each group's peak RSS, so a figure
 * "during the rollouts" is the highest seen, not whatever the last read happened to catch.
 */
export class Sampler {
  private readonly peaks = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly groups: () => Record<string, number[]>) {}

  now(): Record<string, Usage> {
    return Object.fromEntries(Object.entries(this.groups()).map(([name, pids]) => [name, usage(pids)]));
  }

  /** Starts a new window: peaks are forgotten and sampled afresh until `stop`. */
  start(): void {
    this.stop();
    this.peaks.clear();
    const sample = () => {
      for (const [name, u] of Object.entries(this.now())) this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, u.rssMiB));
    };
    sample();
    this.timer = setInterval(sample, 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  peakRss(name: string): number {
    return this.peaks.get(name) ?? 0;
  }
}
