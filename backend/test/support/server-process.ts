import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
export const MAIN = resolve(ROOT, 'dist/backend/main.js');

export interface ServerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs the built server (`dist/backend/main.js`) as its own process, as `npm start` does. */
export function startServerProcess(env: Record<string, string>): ServerProcess {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npx nx run backend:build)`);
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

const LISTENING = /"port":(\d+)[^\n]*"msg":"business brain listening"/;

/**
 * Resolves with the port once the server logs that it is listening; rejects if it exits first.
 * Driven by the process's output, with no deadline: start-up on a busy machine takes what it takes.
 */
export function listeningPort(server: ServerProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const match = LISTENING.exec(server.output());
      if (!match?.[1]) return;
      stop();
      resolve(Number(match[1]));
    };
    const exited = (): void => {
      stop();
      reject(new Error(`server exited before listening:\n${server.output()}`));
    };
    const stop = (): void => {
      server.child.stdout?.off('data', check);
      server.child.off('exit', exited);
    };
    server.child.stdout?.on('data', check);
    server.child.once('exit', exited);
    check();
    if (server.child.exitCode !== null) exited();
  });
}
