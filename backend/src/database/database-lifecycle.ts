import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

import { DATABASE_ENGINE, type DatabaseEngine } from './database-engine.js';

/** Closes the pool or PGlite last, after Prisma has disconnected (onModuleDestroy runs first). */
@Injectable()
export class DatabaseLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');

  constructor(@Inject(DATABASE_ENGINE) private readonly engine: DatabaseEngine) {}

  async onApplicationShutdown(): Promise<void> {
    await this.engine.close();
    this.logger.log(`${this.engine.kind} closed`);
  }
}
