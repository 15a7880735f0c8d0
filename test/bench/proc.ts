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

/** Every process whose process group is `pgid` (a stack part started with setsid, and its children). */
export function processGroup(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => statFields(pid)?.[2] === String(pgid));
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
