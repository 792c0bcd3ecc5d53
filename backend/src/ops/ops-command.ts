import { existsSync } from 'node:fs';

import type { AppConfig } from '../config/app-config.js';
import { ConfigurationError, loadAppConfig } from '../config/load-app-config.js';
import { parseOpsArgs, type OpsArgs, type OpsFlag } from './ops-args.js';
import { OpsError } from './ops-error.js';

export interface OpsContext {
  /** The server's own validated configuration: the same DATABASE_URL / DATA_DIR and MIGRATIONS_DIR. */
  config: AppConfig;
  args: OpsArgs;
}

/**
 * Runs one ops command as `nx run backend:<command>` does: `.env` read like the server reads it,
 * the configuration validated by the server's own loader, the flags parsed. The command returns
 * its exit code; an `OpsError` or a configuration problem prints its message and exits 1, anything
 * else prints its stack (a bug, not an operator's mistake).
 */
export function runOpsCommand(accepted: readonly OpsFlag[], command: (context: OpsContext) => Promise<number>): void {
  const run = async (): Promise<number> => {
    if (existsSync('.env')) process.loadEnvFile('.env');
    const config = loadAppConfig(process.env);
    const args = parseOpsArgs(process.argv.slice(2), process.env, accepted);
    return command({ config, args });
  };
  run().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof OpsError || error instanceof ConfigurationError) console.error(`error: ${error.message}`);
      else console.error(error);
      process.exitCode = 1;
    },
  );
}
