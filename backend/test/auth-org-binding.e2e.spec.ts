import { PrismaService } from '../src/database/prisma.service.js';
import { generateSigningKey, sessionClaims, signToken } from './support/clerk-tokens.js';
import { TEST_ENGINES } from './support/engines.js';
import { seedTenant } from './support/seed.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const key = generateSigningKey();
const AZP = 'http://localhost:4200';

/** A signed session token with exactly these organisation claims (no defaults filled in). */
const tokenWith = (orgClaims: Record<string, unknown>, version: 1 | 2): string =>
  signToken(key, { ...sessionClaims({ azp: AZP, version }), ...orgClaims });
const v2 = (o: Record<string, unknown>): string => tokenWith({ o }, 2);
const v1 = (claims: Record<string, unknown>): string => tokenWith(claims, 1);
const bearer = (value: string): RequestInit => ({ headers: { authorization: `Bearer ${value}` } });

type ErrorBody = Record<string, unknown>;
const withoutRequestId = (body: ErrorBody): ErrorBody => ({ ...body, request_id: undefined });

describe.each(TEST_ENGINES)('tenants are bound to an organisation id (%s)', (engine) => {
  let t: TestApp;
  let prisma: PrismaService;
  /** The body of the 403 a token of an unrelated organisation gets: every refusal must look like it. */
  let foreign403: ErrorBody;

  beforeAll(async () => {
    t = await startTestApp(engine, { CLERK_JWT_KEY: key.publicPem, CLERK_AUTHORIZED_PARTIES: AZP });
    prisma = t.app.get(PrismaService);
    const bound = await index('acme', bearer(v2({ id: 'org_acme', slg: 'acme', rol: 'admin' })));
    expect(bound.status).toBe(200);
    const foreign = await index('acme', bearer(v2({ id: 'org_umbrella', slg: 'umbrella', rol: 'admin' })));
    expect(foreign.status).toBe(403);
    foreign403 = withoutRequestId((await foreign.json()) as ErrorBody);
  });
  afterAll(() => t?.close());

  const index = (slug: string, init?: RequestInit): Promise<Response> => t.get(`/routes/knowledge/${slug}/index`, init);
  const expectRefused = async (res: Response, name: string): Promise<void> => {
    expect({ name, status: res.status }).toEqual({ name, status: 403 });
    expect({ name, body: withoutRequestId((await res.json()) as ErrorBody) }).toEqual({ name, body: foreign403 });
  };
  const ownerOf = async (slug: string): Promise<string | null | undefined> =>
    (await prisma.tenant.findUnique({ where: { slug } }))?.clerkOrgId;

  const NO_ORG_ID: [string, (slug: string) => string][] = [
    ['v2 without id', (slug) => v2({ slg: slug, rol: 'admin' })],
    ['v2 with an empty id', (slug) => v2({ id: '', slg: slug, rol: 'admin' })],
    ['v2 with a non-string id', (slug) => v2({ id: 42, slg: slug, rol: 'admin' })],
    ['v1 with org_slug only', (slug) => v1({ org_slug: slug, org_role: 'org:admin' })],
    ['v1 with an empty org_id', (slug) => v1({ org_id: '', org_slug: slug, org_role: 'org:admin' })],
  ];

  it('refuses a token that names the slug of a bound tenant but no organisation id (403, as for any other organisation)', async () => {
    for (const [name, token] of NO_ORG_ID) {
      await expectRefused(await index('acme', bearer(token('acme'))), name);
      await expectRefused(await t.get(`/routes/knowledge/acme/index`, { headers: { cookie: `__session=${token('acme')}` } }), `${name} (cookie)`);
    }
    expect(await ownerOf('acme')).toBe('org_acme');
  });

  it('creates no tenant for a token without an organisation id, so no later organisation can take one over', async () => {
    for (const [name, token] of NO_ORG_ID) {
      await expectRefused(await index('ownerless', bearer(token('ownerless'))), name);
      const create = await t.get('/routes/knowledge/ownerless', {
        method: 'POST',
        headers: { authorization: `Bearer ${token('ownerless')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'planted', type: 'Reference', intent: 'Technical', text: 'planted by a token without an organisation id' }),
      });
      await expectRefused(create, `${name} (create)`);
    }
    expect(await prisma.tenant.findUnique({ where: { slug: 'ownerless' } })).toBeNull();
    // the organisation that really holds the slug then gets an empty tenant of its own
    const owner = await index('ownerless', bearer(v1({ org_id: 'org_ownerless', org_slug: 'ownerless', org_role: 'org:admin' })));
    expect(owner.status).toBe(200);
    expect(await owner.json()).toEqual({ entries: [], total_count: 0 });
    expect(await ownerOf('ownerless')).toBe('org_ownerless');
  });

  it('never serves a tenant bound to one organisation id to another organisation with the same slug (v1 and v2)', async () => {
    await expectRefused(await index('acme', bearer(v2({ id: 'org_acme_renamed_elsewhere', slg: 'acme', rol: 'admin' }))), 'v2');
    await expectRefused(await index('acme', bearer(v1({ org_id: 'org_acme_renamed_elsewhere', org_slug: 'acme', org_role: 'org:admin' }))), 'v1');
    expect((await index('acme', bearer(v1({ org_id: 'org_acme', org_slug: 'acme', org_role: 'org:member' })))).status).toBe(200);
    expect(await ownerOf('acme')).toBe('org_acme');
  });

  it('binds a tenant created in development mode to the first organisation id that reaches it, for good', async () => {
    const { knowledgeBaseId } = await seedTenant(t.app, 'legacy'); // as development mode provisions it: no organisation
    expect(await ownerOf('legacy')).toBeNull();
    const first = await index('legacy', bearer(v1({ org_id: 'org_legacy', org_slug: 'legacy', org_role: 'org:admin' })));
    expect(first.status).toBe(200);
    expect(((await first.json()) as { entries: { id: string }[] }).entries.map((e) => e.id)).toEqual([knowledgeBaseId]);
    expect(await ownerOf('legacy')).toBe('org_legacy');
    await expectRefused(await index('legacy', bearer(v2({ id: 'org_legacy_2', slg: 'legacy', rol: 'admin' }))), 'later organisation');
    expect((await index('legacy', bearer(v2({ id: 'org_legacy', slg: 'legacy', rol: 'member' })))).status).toBe(200);
    expect(t.logs.some((line) => line.includes('tenant legacy, created without an organisation, is now bound to organisation org_legacy'))).toBe(true);
  });

  it('lets exactly one of two organisations racing for an unbound tenant have it', async () => {
    await seedTenant(t.app, 'contested');
    const [a, b] = await Promise.all([
      index('contested', bearer(v2({ id: 'org_contested_a', slg: 'contested', rol: 'admin' }))),
      index('contested', bearer(v2({ id: 'org_contested_b', slg: 'contested', rol: 'admin' }))),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 403]);
    const winner = a.status === 200 ? 'org_contested_a' : 'org_contested_b';
    expect(await ownerOf('contested')).toBe(winner);
  });

  it('refuses (403, not 500) an unbound tenant to an organisation that already owns another tenant', async () => {
    await seedTenant(t.app, 'second-slug');
    await expectRefused(await index('second-slug', bearer(v2({ id: 'org_acme', slg: 'second-slug', rol: 'admin' }))), 'owner of acme');
    expect(await ownerOf('second-slug')).toBeNull();
  });
});
