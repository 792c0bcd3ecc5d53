import { Inject, Injectable } from '@nestjs/common';

import { DATABASE_ENGINE, type DatabaseEngine } from '../database/database-engine.js';

const HIT = `
  INSERT INTO rate_limit_windows (bucket, window_start, hits) VALUES ($1, $2, 1)
  ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1
  RETURNING hits`;

/**
 * The one reader and writer of `rate_limit_windows`: request counts per bucket and fixed window,
 * in the database, so every API process on it counts together. Not tenant-owned data: it runs
 * outside tenant transactions, as the service's own role, straight on the driver (the pool Prisma
 * shares), which costs a request a fifth of what the same statement through Prisma does.
 */
@Injectable()
export class RateLimitStore {
  constructor(@Inject(DATABASE_ENGINE) private readonly database: DatabaseEngine) {}

  /** Counts one request in the bucket's window and answers the window's count so far: one statement. */
  async hit(bucket: string, windowStart: Date): Promise<number> {
    const [row] = await this.database.query<{ hits: number }>(HIT, [bucket, windowStart]);
    return row?.hits ?? 1;
  }

  /** Deletes the windows that started before `before`. */
  async prune(before: Date): Promise<void> {
    await this.database.query('DELETE FROM rate_limit_windows WHERE window_start < $1', [before]);
  }
}
