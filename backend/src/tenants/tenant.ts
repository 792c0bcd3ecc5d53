export interface Tenant {
  id: string;
  slug: string;
  clerkOrgId: string | null;
}
