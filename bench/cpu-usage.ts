import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds so far of this process (all its threads) and of every `postgres` process on this machine. */
export interface CpuSample {
  node: number;
  postgres: number | null;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Sum of user + system time of processes named `postgres`, from /proc; null where /proc is not readable. */
function postgresSeconds(): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  let ticks = 0;
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    } catch {
      // the process ended between readdir and read
    }
  }
  return ticks / TICKS_PER_SECOND;
}

export function sampleCpu(): CpuSample {
  const usage = process.cpuUsage();
  return { node: (usage.user + usage.system) / 1e6, postgres: postgresSeconds() };
}

/** "node 1.23 s, postgres 0.45 s" between two samples (postgres seconds include processes that ended meanwhile only in part). */
export function describeCpu(from: CpuSample, to: CpuSample): string {
  const pg = from.postgres !== null && to.postgres !== null ? `, postgres ${(to.postgres - from.postgres).toFixed(2)} s` : '';
  return `CPU: this process ${(to.node - from.node).toFixed(2)} s${pg}`;
}
