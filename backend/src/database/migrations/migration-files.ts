import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { sha256Hex } from '../../common/crypto/sha256-hex.js';

export interface MigrationFile {
  /** Folder name, e.g. `20261125000000_init`: Prisma's migration name. */
  name: string;
  sql: string;
  /** sha-256 of the file's bytes, hex: the checksum Prisma Migrate records. */
  checksum: string;
}

/** Reads `<dir>/<timestamp>_<name>/migration.sql` in name order, as Prisma Migrate does. */
export function readMigrationFiles(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new Error(`Migrations directory not found: ${dir} (set MIGRATIONS_DIR)`);
  return readdirSync(dir)
    .filter((entry) => statSync(join(dir, entry)).isDirectory() && existsSync(join(dir, entry, 'migration.sql')))
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: sha256Hex(bytes) };
    });
}
