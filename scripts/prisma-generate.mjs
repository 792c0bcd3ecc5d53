// Generates the Prisma client offline.
// `prisma generate` does not use the schema engine, but the CLI insists on resolving one and would
// download it from a host that may be unreachable. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any
// executable satisfies that check; generation itself runs in-process (WASM).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const stub = join(root, 'node_modules', '.cache', 'prisma-schema-engine-stub');
  if (!existsSync(stub)) {
    mkdirSync(dirname(stub), { recursive: true });
    writeFileSync(stub, '#!/bin/sh\necho "schema engine stub: migrations are applied by scripts/migrate" >&2\nexit 1\n');
    chmodSync(stub, 0o755);
  }
  env.PRISMA_SCHEMA_ENGINE_BINARY = stub;
}
const prismaBin = join(root, 'node_modules', '.bin', 'prisma');
if (!existsSync(prismaBin)) {
  console.log('prisma CLI not installed yet; skipping client generation');
  process.exit(0);
}
const result = spawnSync(prismaBin, ['generate', '--config', join(root, 'prisma', 'prisma.config.ts')], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
