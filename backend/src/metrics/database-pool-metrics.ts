import { Inject, Injectable } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';

import { DATABASE_ENGINE, type DatabaseEngine } from '../database/database-engine.js';
import { METRICS_REGISTRY } from './metrics-registry.js';

/**
 * The database connections, read from the engine at each scrape (counters in memory, no query):
 * PostgreSQL's `pg` pool, or PGlite's one connection (see PoolStats).
 */
@Injectable()
export class DatabasePoolMetrics {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @Inject(DATABASE_ENGINE) engine: DatabaseEngine) {
    const engineLabel = { engine: engine.kind };
    new Gauge({
      name: 'bb_db_pool_connections',
      help: 'Database connections, by state: in_use (lent out, a statement or transaction running) or idle',
      labelNames: ['engine', 'state'],
      registers: [registry],
      collect() {
        const stats = engine.poolStats();
        this.set({ ...engineLabel, state: 'in_use' }, stats.inUse);
        this.set({ ...engineLabel, state: 'idle' }, stats.idle);
      },
    });
    new Gauge({
      name: 'bb_db_pool_waiting',
      help: 'Requests waiting for a database connection (PGlite: calls queued behind the one running)',
      labelNames: ['engine'],
      registers: [registry],
      collect() {
        this.set(engineLabel, engine.poolStats().waiting);
      },
    });
    new Gauge({
      name: 'bb_db_pool_max_connections',
      help: 'Most connections the pool opens (DATABASE_POOL_MAX; 1 for PGlite)',
      labelNames: ['engine'],
      registers: [registry],
      collect() {
        this.set(engineLabel, engine.poolStats().max);
      },
    });
  }
}
