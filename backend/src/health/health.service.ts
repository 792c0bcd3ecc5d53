import { Inject, Injectable, Logger } from '@nestjs/common';

import { AppError } from '../common/errors/app-error.js';
import { DATABASE_ENGINE, type DatabaseEngine } from '../database/database-engine.js';
import type { ReadinessResponseDto } from './dto/health.dto.js';

const CHECK_TIMEOUT_MS = 3000;

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });

@Injectable()
export class HealthService {
  private readonly logger = new Logger('Health');

  constructor(@Inject(DATABASE_ENGINE) private readonly engine: DatabaseEngine) {}

  /** Database reachable and pgvector installed, or a 503 that names the failing check. */
  async readiness(): Promise<ReadinessResponseDto> {
    try {
      await withTimeout(this.engine.query('SELECT 1 AS ok'), CHECK_TIMEOUT_MS);
    } catch (error) {
      this.logger.error({ err: error }, 'readiness: database check failed');
      throw new AppError('service_unavailable', 'Not ready: database check failed (database unreachable)');
    }
    let version: string | undefined;
    try {
      const rows = await withTimeout(
        this.engine.query<{ extversion: string }>("SELECT extversion FROM pg_extension WHERE extname = 'vector'"),
        CHECK_TIMEOUT_MS,
      );
      version = rows[0]?.extversion;
    } catch (error) {
      this.logger.error({ err: error }, 'readiness: vector check failed');
    }
    if (!version) {
      throw new AppError('service_unavailable', 'Not ready: vector check failed (pgvector extension is not installed)');
    }
    return {
      status: 'ready',
      engine: this.engine.kind,
      checks: { database: { status: 'up' }, vector: { status: 'up', version } },
    };
  }
}
