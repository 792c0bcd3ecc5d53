import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds so far of this process (all its threads) and of every `postgres` process on this machine. */
export interface CpuSample {
  node: number;
  postgres: number | null;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Sum of user + system time of processes named `postgres` and their ended children, from /proc; null where /proc is not readable. */
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
      // utime, stime, cutime, cstime (fields 14-17 of stat): the postmaster's cutime/cstime take in
      // the time of backends that ended, so a run whose connections close is still counted whole
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
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

/** "CPU: this process 1.23 s, postgres 0.45 s" between two samples. */
export function describeCpu(from: CpuSample, to: CpuSample): string {
  const pg = from.postgres !== null && to.postgres !== null ? `, postgres ${(to.postgres - from.postgres).toFixed(2)} s` : '';
  return `CPU: this process ${(to.node - from.node).toFixed(2)} s${pg}`;
}
