import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time from /proc, to say which process a phase was spending the machine's cores on. */

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

const tickMs = 1000 / CLK_TCK;

/** utime + stime (+ reaped children when asked) of one process, ms; 0 when it is gone. */
export const processCpuMs = (pid: number, withChildren = false): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may hold spaces and parentheses: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
    const own = Number(fields[11]) + Number(fields[12]);
    const children = withChildren ? Number(fields[13]) + Number(fields[14]) : 0;
    return (own + children) * tickMs;
  } catch {
    return 0;
  }
};

const commOf = (pid: string): string => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

const parentOf = (pid: string): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
};

/**
 * Every process named postgres (the server and its backends), including reaped backends; with
 * `postmaster`, only that cluster (the postmaster and its children): the embedded default's own,
 * apart from a server on the same machine.
 */
export const postgresCpuMs = (postmaster?: number): number => {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || commOf(pid) !== 'postgres') continue;
    if (postmaster !== undefined && Number(pid) !== postmaster && parentOf(pid) !== postmaster) continue;
    total += processCpuMs(Number(pid), true);
  }
  return total;
};

const machineTicks = (): { busy: number; total: number } => {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
};

export interface CpuShares {
  readonly seconds: number;
  /** Busy share of the whole machine, percent of all cores together (100 = every core busy). */
  readonly machineBusyPct: number;
  /** Core-percent (100 = one core fully busy) of each party. */
  readonly apiPct?: number;
  readonly postgresPct: number;
  readonly benchPct: number;
  readonly cores: number;
}

/** Starts a window; the returned function ends it and gives each party's CPU share. */
export const cpuWindow = (apiPid?: number, cores = 1, postmaster?: number): (() => CpuShares) => {
  const t0 = Date.now();
  const machine0 = machineTicks();
  const pg0 = postgresCpuMs(postmaster);
  const api0 = apiPid ? processCpuMs(apiPid) : 0;
  const bench0 = process.cpuUsage();
  return () => {
    const seconds = (Date.now() - t0) / 1000;
    const machine1 = machineTicks();
    const bench = process.cpuUsage(bench0);
    const pct = (cpuMs: number) => (100 * cpuMs) / (seconds * 1000);
    return {
      seconds,
      machineBusyPct: (100 * (machine1.busy - machine0.busy)) / Math.max(1, machine1.total - machine0.total),
      apiPct: apiPid ? pct(processCpuMs(apiPid) - api0) : undefined,
      postgresPct: pct(postgresCpuMs(postmaster) - pg0),
      benchPct: pct((bench.user + bench.system) / 1000),
      cores,
    };
  };
};

/** VmRSS of a process in MB, or undefined once it is gone. */
export const rssMb = (pid: number): number | undefined => {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
};
