import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from './metrics-registry.js';

/** One request to the embeddings API as the caller saw it (the SDK's retries and their waits included). */
export interface EmbeddingRequestObservation {
  /** A search query (someone waiting) rather than ingestion. */
  interactive: boolean;
  seconds: number;
  outcome: 'ok' | 'error' | 'cancelled';
  /** Why it failed, from a fixed set (see the provider): rate_limited, server_error, ... */
  reason?: string;
}

const EMBEDDING_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Requests to the OpenAI-compatible embeddings API (the offline embedder makes none). */
@Injectable()
export class EmbeddingMetrics {
  private readonly duration: Histogram<'kind' | 'outcome'>;
  private readonly errors: Counter<'kind' | 'reason'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.duration = new Histogram({
      name: 'bb_embedding_request_duration_seconds',
      help: 'Embeddings API requests (one batch of inputs, retries included), by kind (query, ingestion) and outcome (ok, error, cancelled)',
      labelNames: ['kind', 'outcome'],
      buckets: EMBEDDING_BUCKETS,
      registers: [registry],
    });
    this.errors = new Counter({
      name: 'bb_embedding_request_errors_total',
      help: 'Embeddings API requests that failed after their retries, by kind and reason (rate_limited, quota, server_error, client_error, timeout, connection, invalid_response)',
      labelNames: ['kind', 'reason'],
      registers: [registry],
    });
  }

  observe(sample: EmbeddingRequestObservation): void {
    const kind = sample.interactive ? 'query' : 'ingestion';
    this.duration.observe({ kind, outcome: sample.outcome }, sample.seconds);
    if (sample.outcome === 'error') this.errors.inc({ kind, reason: sample.reason ?? 'unknown' });
  }
}
