import type { RateLimitConfig } from '../config/app-config.js';

/** Which counter a request is counted in, and how many requests per window that counter allows. */
export interface RateLimitTarget {
  bucket: string;
  limit: number;
}

/** What the policy looks at: the matched route (its pattern, not the URL) and who asks. */
export interface RateLimitedRequest {
  method: string;
  /** The route pattern Fastify matched, e.g. `/routes/knowledge/:tenant/search`; undefined for a 404. */
  route: string | undefined;
  tenant: string | undefined;
  ip: string;
}

const TENANT_ROUTES = '/routes/knowledge/:tenant';
/**
 * Liveness and readiness probes: a probe refused for being frequent would restart a healthy
 * process. The metrics scrape: refused, it would leave a gap in monitoring just when a flood from
 * the scraper's address (a proxy, a NAT) is what there is to see; it costs no database work, and
 * without the token it is a 401 or a 404.
 */
const EXEMPT = new Set(['/health', '/health/ready', '/metrics']);
/** The routes that embed a query and read many chunks: a budget of their own, lower. */
const QUERY_ROUTES = new Set([`${TENANT_ROUTES}/search`, `${TENANT_ROUTES}/context`, `${TENANT_ROUTES}/answer`]);

/**
 * Tenant routes count per tenant (the slug in the path, before any authentication: the budget
 * is the tenant's whoever spends it), query routes in a budget of their own; everything else
 * (public routes, the web app's files, Swagger, unknown paths) per client address. Null: not
 * limited (a probe, or a limit of 0).
 */
export function rateLimitTarget(request: RateLimitedRequest, limits: RateLimitConfig): RateLimitTarget | null {
  const { route } = request;
  if (route !== undefined && EXEMPT.has(route)) return null;
  const target: RateLimitTarget =
    route !== undefined && (route === TENANT_ROUTES || route.startsWith(`${TENANT_ROUTES}/`)) && request.tenant !== undefined
      ? QUERY_ROUTES.has(route) && request.method === 'POST'
        ? { bucket: `queries:${request.tenant.slice(0, 100)}`, limit: limits.queriesPerMinute }
        : { bucket: `tenant:${request.tenant.slice(0, 100)}`, limit: limits.tenantPerMinute }
      : { bucket: `ip:${request.ip}`, limit: limits.ipPerMinute };
  return target.limit > 0 ? target : null;
}
