import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { ProbeSnapshot } from '../pool-probe.js';

export type Engine = 'postgres' | 'pglite';

export interface ScratchDatabase {
  env: Record<string, string>;
  /** The PostgreSQL database's name; null on PGlite. */
  name: string | null;
  drop(): Promise<void>;
}

/** A new PostgreSQL database on the admin URL's server, or a temporary PGlite directory. */
export async function scratchDatabase(engine: Engine, adminUrl: string | undefined): Promise<ScratchDatabase> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'bb-bench-load-'));
    return { env: { DATA_DIR: dir }, name: null, drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
  }
  if (!adminUrl) throw new Error('the postgres engine needs BENCH_POSTGRES_ADMIN_URL');
  const pg = (await import('pg')).default;
  const name = `bb_bench_load_${Date.now()}_${process.pid}`;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, name, drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

export interface ServerProcess {
  baseUrl: string;
  pid: number;
  /** Resident set now and the process's high-water mark (VmHWM), MB. */
  memory(): { rss: number; peak: number };
  /** Starts a new measuring window in the server's pool probe. */
  resetProbe(): Promise<void>;
  /** What the probe saw since the last reset. */
  probe(): Promise<ProbeSnapshot>;
  stop(): Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });

/**
 * A built backend (`main`, e.g. dist/backend/main.js) in a process of its own, as in production,
 * with the pool probe loaded before it (bench/pool-probe.ts) and an IPC channel to ask the probe.
 * Only `env` and PATH reach it, so every setting not in `env` is the application's default.
 */
export async function startServerProcess(main: string, env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const probe = fileURLToPath(new URL('../pool-probe.js', import.meta.url));
  // run from the build's own checkout (two folders above dist/backend/main.js), so its migrations apply
  const child: ChildProcess = spawn(process.execPath, ['--import', probe, resolve(main)], {
    cwd: resolve(dirname(main), '../..'),
    env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', WEB_APP_DIR: 'tmp/no-web-app', ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
    try {
      if ((await fetch(`${baseUrl}/health/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid ?? 0;
  const ask = <T>(probe: 'reset' | 'snapshot'): Promise<T> =>
    new Promise((done) => {
      const onMessage = (message: { probe: string; snapshot?: ProbeSnapshot }): void => {
        if (message.probe !== probe) return;
        child.off('message', onMessage);
        done((message.snapshot ?? undefined) as T);
      };
      child.on('message', onMessage);
      child.send({ probe });
    });
  return {
    baseUrl,
    pid,
    memory: () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const field = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
      return { rss: field('VmRSS'), peak: field('VmHWM') };
    },
    resetProbe: () => ask<void>('reset'),
    probe: () => ask<ProbeSnapshot>('snapshot'),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
