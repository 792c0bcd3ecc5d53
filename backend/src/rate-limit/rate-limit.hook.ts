import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { AppError } from '../common/errors/app-error.js';
import type { RateLimiter } from './rate-limiter.service.js';

/**
 * Counts every request in an `onRequest` hook, before its body is read and before any guard
 * (the tenant guard's database work included) runs, and answers 429 with `Retry-After` in the
 * one error shape past the limit. Limited responses carry `RateLimit-Limit`, `RateLimit-Remaining`
 * and `RateLimit-Reset` (seconds).
 */
export function registerRateLimit(fastify: FastifyInstance, limiter: RateLimiter): void {
  // a plugin that is not encapsulated (as fastify-plugin makes one), so its hook applies to every
  // route, and runs after those of plugins registered before it (CORS: a 429 a browser can read)
  const plugin = (instance: FastifyInstance, _options: unknown, done: () => void): void => {
    instance.addHook('onRequest', (request, reply) => countRequest(limiter, request, reply));
    done();
  };
  void fastify.register(Object.assign(plugin, { [Symbol.for('skip-override')]: true }));
}

async function countRequest(limiter: RateLimiter, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const decision = await limiter.check({
    method: request.method,
    route: request.routeOptions.url,
    tenant: (request.params as Record<string, string | undefined> | undefined)?.['tenant'],
    ip: request.ip,
  });
  if (!decision) return;
  void reply.header('RateLimit-Limit', String(decision.limit));
  void reply.header('RateLimit-Remaining', String(decision.remaining));
  void reply.header('RateLimit-Reset', String(decision.resetSeconds));
  if (!decision.allowed) {
    throw new AppError(
      'too_many_requests',
      `Rate limit exceeded: ${decision.limit} requests per minute. Try again in ${decision.resetSeconds} s.`,
      undefined,
      decision.resetSeconds,
    );
  }
}
