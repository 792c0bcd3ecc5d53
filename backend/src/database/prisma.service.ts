import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

import { PrismaClient } from '../generated/prisma/client.js';
import { DATABASE_ENGINE, type DatabaseEngine } from './database-engine.js';

/** Prisma Client bound to whichever engine is configured (PostgreSQL pool or PGlite). */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  constructor(@Inject(DATABASE_ENGINE) engine: DatabaseEngine) {
    super({ adapter: engine.adapter });
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
