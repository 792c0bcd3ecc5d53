import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

import { PrismaClient } from '../generated/prisma/client.js';
import { DATABASE_ENGINE, type DatabaseEngine } from './database-engine.js';

/** Prisma Client bound to whichever engine is configured (PostgreSQL pool or PGlite). */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  constructor(@Inject(DATABASE_ENGINE) engine: DatabaseEngine) {
    // 'minimal': errors reach the logs through the exception filter; the default formats capture
    // a stack trace on every query to point at the calling line, a measurable cost per query
    super({ adapter: engine.adapter, errorFormat: 'minimal' });
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
