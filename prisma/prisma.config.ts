// Prisma CLI configuration. Lives inside prisma/ so the repository's top level stays as documented;
// pass it explicitly: `prisma generate --config prisma/prisma.config.ts`.
// The datasource URL only matters for `prisma migrate deploy` on a connected host; the service
// itself applies these migrations on start-up (see backend/src/database/migrations/).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: process.env['DATABASE_URL'] ?? 'postgresql://localhost:5432/business_brain' },
});
