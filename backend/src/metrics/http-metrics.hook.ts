import type { FastifyInstance } from 'fastify';

import { routeTemplate } from '../common/http/route-template.js';
import type { HttpMetrics } from './http-metrics.js';

/**
 * Counts every answered request in an `onResponse` hook on the root instance (a plugin without
 * encapsulation, like the rate limit's), so every route, the 404s and the refusals of earlier
 * hooks (429, 401) included, is counted once, with the time Fastify measured for it.
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: HttpMetrics): void {
  const plugin = (instance: FastifyInstance, _options: unknown, done: () => void): void => {
    instance.addHook('onResponse', (request, reply, next) => {
      metrics.observe(request.method, routeTemplate(request), reply.statusCode, reply.elapsedTime / 1000);
      next();
    });
    done();
  };
  void fastify.register(Object.assign(plugin, { [Symbol.for('skip-override')]: true }));
}
