import { Inject, Injectable } from '@nestjs/common';
import { Histogram, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from './metrics-registry.js';

const SEARCH_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Searches (the search route's, and those context and answers make), by mode. */
@Injectable()
export class SearchMetrics {
  private readonly duration: Histogram<'mode' | 'outcome'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.duration = new Histogram({
      name: 'bb_search_duration_seconds',
      help: 'Searches of one tenant, query embedding included, by mode (semantic, keyword, hybrid) and outcome (ok, error)',
      labelNames: ['mode', 'outcome'],
      buckets: SEARCH_BUCKETS,
      registers: [registry],
    });
  }

  observe(mode: string, outcome: 'ok' | 'error', seconds: number): void {
    this.duration.observe({ mode, outcome }, seconds);
  }
}
