import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from './metrics-registry.js';

type HttpLabels = 'method' | 'route' | 'status_code';

/** Seconds; answers are mostly milliseconds, uploads and answers' streams seconds to minutes. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** Requests answered, by method, route pattern (never the URL: no tenant slug, no id) and status code. */
@Injectable()
export class HttpMetrics {
  private readonly requests: Counter<HttpLabels>;
  private readonly duration: Histogram<HttpLabels>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const labelNames = ['method', 'route', 'status_code'] as const;
    this.requests = new Counter({ name: 'bb_http_requests_total', help: 'HTTP requests answered', labelNames, registers: [registry] });
    this.duration = new Histogram({
      name: 'bb_http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to the end of its answer (a stream: until it ends)',
      labelNames,
      buckets: HTTP_BUCKETS,
      registers: [registry],
    });
  }

  /** `route`: the matched route's pattern (see routeTemplate). */
  observe(method: string, route: string, statusCode: number, seconds: number): void {
    const labels = { method, route, status_code: String(statusCode) };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
  }
}
