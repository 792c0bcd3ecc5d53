import { collectDefaultMetrics, Registry } from 'prom-client';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/**
 * A registry of the application instance's own, not prom-client's global one: several apps in
 * one process (the tests start many) each count their own requests, and registering a metric
 * twice never throws. Holds Node's process metrics (CPU, memory, event-loop lag, GC, handles).
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
