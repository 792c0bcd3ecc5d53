import { PrismaService } from '../src/database/prisma.service.js';
import { generateSigningKey, sessionClaims, signToken, type SessionOptions } from './support/clerk-tokens.js';
import { TEST_ENGINES } from './support/engines.js';
import { seedTenant } from './support/seed.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const key = generateSigningKey();
const otherKey = generateSigningKey('ins_other_key');
const AZP = 'http://localhost:4200';

const token = (options: SessionOptions, signingKey = key): string => signToken(signingKey, sessionClaims({ azp: AZP, ...options }));
const bearer = (value: string): RequestInit => ({ headers: { authorization: `Bearer ${value}` } });

describe.each(TEST_ENGINES)('Clerk tenant guard (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { CLERK_JWT_KEY: key.publicPem, CLERK_AUTHORIZED_PARTIES: `${AZP},https://app.example.com` });
  });
  afterAll(() => t?.close());

  const index = (slug: string, init?: RequestInit): Promise<Response> => t.get(`/routes/knowledge/${slug}/index`, init);

  it('accepts a valid v2 session token for the tenant and provisions the tenant', async () => {
    const res = await index('acme', bearer(token({ orgSlug: 'acme', orgId: 'org_acme' })));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"entries":[],"total_count":0}');
    expect(res.headers.get('x-auth-mode')).toBeNull();
    const tenant = await t.app.get(PrismaService).tenant.findUnique({ where: { slug: 'acme' } });
    expect(tenant?.clerkOrgId).toBe('org_acme');
  });

  it('accepts v1 claims (org_slug, org_id, org_role)', async () => {
    const res = await index('globex', bearer(token({ orgSlug: 'globex', orgId: 'org_globex', version: 1 })));
    expect(res.status).toBe(200);
  });

  it('accepts the token from the __session cookie', async () => {
    const res = await index('acme', { headers: { cookie: `theme=dark; __session=${token({ orgSlug: 'acme', orgId: 'org_acme' })}` } });
    expect(res.status).toBe(200);
  });

  it('401 without a token, with a garbage token, an expired token, or one signed by another key', async () => {
    const cases: [string, RequestInit | undefined, RegExp][] = [
      ['none', undefined, /Missing session token/],
      ['garbage', bearer('not.a.jwt'), /Invalid session token/],
      ['wrong scheme', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }, /Missing session token/],
      ['expired', bearer(token({ orgSlug: 'acme', orgId: 'org_acme', expiresIn: -120 })), /expired/],
      ['wrong key', bearer(token({ orgSlug: 'acme', orgId: 'org_acme' }, otherKey)), /Invalid session token/],
    ];
    for (const [name, init, message] of cases) {
      const res = await index('acme', init);
      expect({ name, status: res.status }).toEqual({ name, status: 401 });
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await res.json()) as { message: string; error: string };
      expect(body.error).toBe('Unauthorized');
      expect(body.message).toMatch(message);
    }
  });

  it('401 for a token issued to an unauthorised party', async () => {
    const res = await index('acme', bearer(token({ orgSlug: 'acme', orgId: 'org_acme', azp: 'https://evil.example' })));
    expect(res.status).toBe(401);
    const ok = await index('acme', bearer(token({ orgSlug: 'acme', orgId: 'org_acme', azp: 'https://app.example.com' })));
    expect(ok.status).toBe(200);
  });

  it('403 for a valid token of another organisation, identical whether the tenant exists or not', async () => {
    await seedTenant(t.app, 'initech');
    const foreign = token({ orgSlug: 'umbrella', orgId: 'org_umbrella' });
    const existing = await index('initech', bearer(foreign));
    const missing = await index('no-such-tenant', bearer(foreign));
    expect(existing.status).toBe(403);
    expect(missing.status).toBe(403);
    const strip = (b: Record<string, unknown>): Record<string, unknown> => ({ ...b, request_id: undefined });
    expect(strip((await existing.json()) as Record<string, unknown>)).toEqual(strip((await missing.json()) as Record<string, unknown>));
    const created = await t.app.get(PrismaService).tenant.findUnique({ where: { slug: 'no-such-tenant' } });
    expect(created).toBeNull();
  });

  it('403 for a token without an active organisation', async () => {
    const res = await index('acme', bearer(token({})));
    expect(res.status).toBe(403);
  });

  it('403 when another organisation presents an already-claimed slug', async () => {
    const res = await index('acme', bearer(token({ orgSlug: 'acme', orgId: 'org_impostor' })));
    expect(res.status).toBe(403);
  });

  it('never writes a token into the logs', async () => {
    const secret = token({ orgSlug: 'acme', orgId: 'org_acme' });
    await index('acme', bearer(secret));
    await index('acme', { headers: { cookie: `__session=${secret}` } });
    const signature = secret.split('.')[2] ?? 'x';
    expect(t.logs.join('\n')).not.toContain(signature);
  });

  it('leaves the open routes open', async () => {
    expect((await t.get('/health')).status).toBe(200);
    expect((await t.get('/routes/knowledge/health')).status).toBe(200);
  });
});

describe('development auth mode', () => {
  it('lets requests through and marks every response with X-Auth-Mode: development', async () => {
    const t = await startTestApp('pglite');
    try {
      expect(t.config.authMode).toBe('development');
      const res = await t.get('/routes/knowledge/acme/index');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-auth-mode')).toBe('development');
      expect((await t.get('/health')).headers.get('x-auth-mode')).toBe('development');
    } finally {
      await t.close();
    }
  });
});
