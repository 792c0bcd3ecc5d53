import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { ROOT } from './server-process.js';
import { MIGRATIONS_DIR } from './test-app.js';

export type OpsCommand = 'verify' | 'migrate-status' | 'db-stats' | 'backup' | 'restore' | 'reembed';

export interface OpsRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for messages. */
  output: string;
}

/**
 * Runs a built ops command (`dist/backend/ops/<command>.js`) as `nx run backend:<target>` does:
 * its own process, from the workspace root, with only the environment given (plus PATH), and
 * resolves with its exit code and output once it exits.
 */
export function runOps(command: OpsCommand, args: string[], env: Record<string, string>): Promise<OpsRun> {
  return runBuiltScript(`ops/${command}.js`, args, env);
}

/** Runs a built script of the backend (`dist/backend/<path>`, e.g. `migrate.js`) as its Nx target does: see `runOps`. */
export function runBuiltScript(path: string, args: string[], env: Record<string, string>): Promise<OpsRun> {
  const script = resolve(ROOT, 'dist/backend', path);
  if (!existsSync(script)) throw new Error(`${script} is missing: build first (npx nx run backend:build)`);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', MIGRATIONS_DIR, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr, output: `${stdout}${stderr}` }));
  });
}
