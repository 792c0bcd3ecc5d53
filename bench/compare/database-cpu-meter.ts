import { readFileSync } from 'node:fs';

import pg from 'pg';

import { sampleCpu } from '../cpu-usage.js';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const SAMPLE_MS = 200;

export interface DatabaseCpu {
  /** CPU seconds of the backends connected to the database; null where their /proc entries cannot be read (a server in a container). */
  database: number | null;
  /** Connections seen over the phase. */
  backends: number;
  /** All `postgres` processes of this machine, as cpu-usage.ts counts them: includes other users of the server. */
  machine: number | null;
}

/**
 * PostgreSQL CPU spent for one side: the backends connected to its scratch database (found in
 * pg_stat_activity, read from /proc/<pid>/stat every 200 ms), so other databases of a shared
 * server are left out. A backend's time is counted from the start of the phase, or from zero if
 * it connected during it; what a backend that disconnects does after its last sample is lost
 * (the pools keep their connections, so little). Background processes (WAL writer,
 * checkpointer) are not counted here; the machine-wide figure is given beside it.
 */
export class DatabaseCpuMeter {
  private readonly client: pg.Client;
  private readonly ticks = new Map<number, { first: number; last: number }>();
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> = Promise.resolve();
  private readable = true;
  private machineFrom: number | null = null;

  private constructor(
    adminUrl: string,
    private readonly database: string,
  ) {
    this.client = new pg.Client({ connectionString: adminUrl });
  }

  static async start(adminUrl: string, database: string): Promise<DatabaseCpuMeter> {
    const meter = new DatabaseCpuMeter(adminUrl, database);
    await meter.client.connect();
    meter.machineFrom = sampleCpu().postgres;
    await meter.sample(true);
    meter.timer = setInterval(() => {
      // a failed sample only loses that sample
      meter.sampling = meter.sampling.then(() => meter.sample(false)).catch(() => undefined);
    }, SAMPLE_MS);
    return meter;
  }

  async stop(): Promise<DatabaseCpu> {
    clearInterval(this.timer);
    await this.sampling;
    await this.sample(false);
    const machineTo = sampleCpu().postgres;
    await this.client.end();
    let ticks = 0;
    for (const t of this.ticks.values()) ticks += t.last - t.first;
    return {
      database: this.readable ? ticks / TICKS_PER_SECOND : null,
      backends: this.ticks.size,
      machine: this.machineFrom !== null && machineTo !== null ? machineTo - this.machineFrom : null,
    };
  }

  private async sample(atStart: boolean): Promise<void> {
    const { rows } = await this.client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [this.database]);
    let read = 0;
    for (const { pid } of rows) {
      const now = backendTicks(pid);
      if (now === null) continue; // ended since the query
      read++;
      const seen = this.ticks.get(pid);
      if (seen) seen.last = now;
      else this.ticks.set(pid, { first: atStart ? now : 0, last: now });
    }
    // backends exist but none can be read: the server's processes are not visible from here
    if (rows.length > 0 && read === 0 && this.ticks.size === 0) this.readable = false;
  }
}

/** utime + stime of a process, in ticks. */
function backendTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}
