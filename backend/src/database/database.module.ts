import { Global, Logger, Module } from '@nestjs/common';

import { AppConfigService } from '../config/app-config.service.js';
import { DATABASE_ENGINE, type DatabaseEngine } from './database-engine.js';
import { DatabaseLifecycle } from './database-lifecycle.js';
import { EmbeddedAnalyzer } from './embedded-analyzer.service.js';
import { runMigrations } from './migrations/migration-runner.js';
import { openDatabaseEngine } from './open-database-engine.js';
import { PrismaService } from './prisma.service.js';
import { TenantDatabase } from './tenant-database.js';

const logger = new Logger('Database');

@Global()
@Module({
  providers: [
    {
      provide: DATABASE_ENGINE,
      inject: [AppConfigService],
      useFactory: async (config: AppConfigService): Promise<DatabaseEngine> => {
        const database = config.get('database');
        const engine = await openDatabaseEngine(database, (err) => logger.error({ err }, 'idle database client failed'));
        logger.log(database.engine === 'postgres' ? 'using PostgreSQL (DATABASE_URL)' : `using embedded PGlite at ${database.dataDir}`);
        const migrations = config.get('migrations');
        if (migrations.runOnStart) {
          try {
            const report = await runMigrations(engine, migrations.dir, (message) => logger.log(message));
            logger.log(`migrations: ${report.applied.length} applied, ${report.alreadyApplied.length} already up to date`);
          } catch (error) {
            await engine.close();
            throw error;
          }
        }
        return engine;
      },
    },
    PrismaService,
    TenantDatabase,
    DatabaseLifecycle,
    EmbeddedAnalyzer,
  ],
  exports: [DATABASE_ENGINE, PrismaService, TenantDatabase],
})
export class DatabaseModule {}
