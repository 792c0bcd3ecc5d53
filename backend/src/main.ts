import 'reflect-metadata';

import { existsSync } from 'node:fs';

import { bootstrap } from './bootstrap.js';
import { ConfigurationError, loadAppConfig } from './config/load-app-config.js';
import { createLogger } from './common/logging/create-logger.js';

if (existsSync('.env')) process.loadEnvFile('.env');

let config;
try {
  config = loadAppConfig(process.env);
} catch (error) {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`business-brain: ${error.message}\nSee .env.example for every variable.\n`);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger(config.logLevel);
bootstrap(config, logger).catch((error: unknown) => {
  logger.fatal({ err: error }, error instanceof Error ? `start-up failed: ${error.message}` : 'start-up failed');
  process.exit(1);
});
