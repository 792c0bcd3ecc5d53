import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { declaredVariableNames } from '../../../backend/src/config/environment-variables.js';

/** The repository's root: every path in the deployment files is relative to it (the build context). */
export const ROOT = resolve(__dirname, '../../..');

export const readRepoFile = (path: string): string => readFileSync(resolve(ROOT, path), 'utf8');

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; a command that cannot start (not installed) says how to install it. */
export function run(command: string, args: string[], options: SpawnSyncOptions & { install?: string } = {}): CommandResult {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) {
    const hint = options.install ? ` (${options.install})` : '';
    throw new Error(`${command} could not be run${hint}: ${result.error.message}`);
  }
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** The names of the backend's environment variables, as `environment-variables.ts` declares them (the loader's own list). */
export const backendVariableNames = declaredVariableNames;
