import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const WORKSPACE = resolve(__dirname, '../../..');

/** A free loopback port, as the OS hands it out. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

/** Asks `url` until it answers 200 (or the process has died). */
export async function waitUntilAnswering(url: string, alive: () => boolean): Promise<void> {
  for (;;) {
    if (!alive()) throw new Error(`server exited before ${url} answered`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The real backend (`node dist/backend/main.js`) serving the production web app, on a free
 * loopback port, embedded database in a scratch directory that outlives restarts, no sign-in.
 */
export class BackendServer {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'bb-e2e-'));
  private process: ChildProcess | null = null;
  readonly output: string[] = [];
  port = 0;

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const child = spawn(process.execPath, ['dist/backend/main.js'], {
      cwd: WORKSPACE,
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_ENV: 'development',
        PORT: String(this.port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DATA_DIR: this.dataDir,
        WEB_APP_DIR: join(WORKSPACE, 'dist/frontend/browser'),
        URL_FETCH_ALLOW_LOOPBACK: 'true',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process = child;
    child.stdout?.on('data', (d: Buffer) => this.output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => this.output.push(d.toString()));
    await waitUntilAnswering(`${this.baseUrl}/health/ready`, () => child.exitCode === null && child.signalCode === null);
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
