import type { INestApplicationContext } from '@nestjs/common';

import { ForbiddenError } from '../../src/common/errors/app-error.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { TenantsRepository } from '../../src/tenants/tenants.repository.js';
import { TenantsService } from '../../src/tenants/tenants.service.js';
import { startServiceContext } from '../support/service-context.js';

/** A tenant is resolved from the database once per process, and its organisation binding still decides every time. */
describe('TenantsService (service tier, in-memory PGlite)', () => {
  let context: INestApplicationContext;
  let tenants: TenantsService;
  let lookups: jest.SpyInstance;

  beforeAll(async () => {
    context = await startServiceContext();
    tenants = context.get(TenantsService);
  });
  afterAll(() => context?.close());
  beforeEach(() => {
    lookups = jest.spyOn(context.get(TenantsRepository), 'findBySlug');
  });
  afterEach(() => lookups.mockRestore());

  it('reads a tenant once, then answers from memory', async () => {
    const first = await tenants.provision('remembered', null);
    expect(lookups).toHaveBeenCalled(); // found absent, created, read back
    lookups.mockClear();
    const again = await Promise.all([tenants.provision('remembered', null), tenants.provision('remembered', null)]);
    expect(again).toEqual([first, first]);
    expect(lookups).not.toHaveBeenCalled();
  });

  it('serves a bound tenant from memory to its organisation only', async () => {
    const bound = await tenants.provision('bound-co', 'org_bound');
    expect(bound.clerkOrgId).toBe('org_bound');
    expect(await tenants.provision('bound-co', 'org_bound')).toEqual(bound);
    await expect(tenants.provision('bound-co', 'org_other')).rejects.toBeInstanceOf(ForbiddenError);
    expect(await tenants.provision('bound-co', 'org_bound')).toEqual(bound);
  });

  it('reads again a tenant remembered unbound when an organisation asks: another process may have bound it', async () => {
    const unbound = await tenants.provision('legacy-co', null);
    expect(unbound.clerkOrgId).toBeNull();
    // bound meanwhile by another API process on the same database
    await context.get(PrismaService).$executeRaw`UPDATE tenants SET clerk_org_id = 'org_elsewhere' WHERE slug = 'legacy-co'`;

    await expect(tenants.provision('legacy-co', 'org_late')).rejects.toBeInstanceOf(ForbiddenError);
    expect(await tenants.provision('legacy-co', 'org_elsewhere')).toEqual({ ...unbound, clerkOrgId: 'org_elsewhere' });
    // from then on it is remembered bound
    lookups.mockClear();
    expect(await tenants.provision('legacy-co', 'org_elsewhere')).toEqual({ ...unbound, clerkOrgId: 'org_elsewhere' });
    expect(lookups).not.toHaveBeenCalled();
  });

  it('remembers the binding it made itself', async () => {
    const unbound = await tenants.provision('claimed-co', null);
    expect(await tenants.provision('claimed-co', 'org_claimer')).toEqual({ ...unbound, clerkOrgId: 'org_claimer' });
    lookups.mockClear();
    expect(await tenants.provision('claimed-co', 'org_claimer')).toEqual({ ...unbound, clerkOrgId: 'org_claimer' });
    await expect(tenants.provision('claimed-co', 'org_rival')).rejects.toBeInstanceOf(ForbiddenError);
    expect(lookups).toHaveBeenCalledTimes(1); // the rival's request read it again, and was refused
  });
});
