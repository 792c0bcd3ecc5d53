import type { FastifyRequest } from 'fastify';

/** What a request that matched no route is labelled with (every route starts with "/", so none is called this). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The pattern of the route a request matched, as registered (`/routes/knowledge/:tenant/index`),
 * never its URL: a bounded set of values, with no tenant slug or id in them, fit for a metric label
 * and for grouping log lines.
 */
export const routeTemplate = (request: FastifyRequest): string => request.routeOptions.url ?? UNMATCHED_ROUTE;

/** The `{tenant}` of a tenant route's path, as sent (the route validates it), for log lines only. */
export const tenantInPath = (request: FastifyRequest): string | undefined => {
  const tenant = (request.params as Record<string, unknown> | undefined)?.['tenant'];
  return typeof tenant === 'string' ? tenant.slice(0, 100) : undefined;
};
