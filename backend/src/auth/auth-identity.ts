/** Who is calling, as far as the session token says. */
export interface AuthIdentity {
  userId: string | null;
  orgId: string | null;
  orgSlug: string | null;
  /** e.g. `org:admin`, `org:member` */
  orgRole: string | null;
}

/** What the tenant guard puts on the request for the handlers. */
export interface TenantContext {
  id: string;
  slug: string;
  orgId: string | null;
  orgRole: string | null;
  userId: string | null;
  authMode: 'clerk' | 'development';
}

declare module 'fastify' {
  interface FastifyRequest {
    tenantContext?: TenantContext;
  }
}
