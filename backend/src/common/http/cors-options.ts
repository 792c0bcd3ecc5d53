/**
 * CORS for browser origins listed in CORS_ORIGINS: every method the API has (@fastify/cors allows
 * only GET, HEAD and POST unless told), the request headers the web app sends (the session token,
 * JSON bodies, a request id to follow), and the response headers it may read.
 */
export const corsOptions = (origins: string[]) => ({
  origin: origins,
  credentials: true,
  methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
  allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
  exposedHeaders: ['X-Request-Id', 'X-Auth-Mode', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
  // browsers cap it (Chromium at 2 hours); ten minutes spares a preflight per request
  maxAge: 600,
});
