import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parse } from 'yaml';

import { EnvironmentVariables } from '../../backend/src/config/environment-variables.js';
import { loadAppConfig } from '../../backend/src/config/load-app-config.js';
import { generateSigningKey } from '../../backend/test/support/clerk-tokens.js';
import { backendVariableNames, readRepoFile, run } from './support/repo.js';

const COMPOSE = 'docker/docker-compose.yml';
const INSTALL = 'apt-get install -y --no-install-recommends docker-compose (scripts/test.sh installs it)';

interface Service {
  build?: { context: string; dockerfile: string };
  image?: string;
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  env_file?: string | string[];
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const raw = parse(readRepoFile(COMPOSE)) as ComposeFile;
const service = (file: ComposeFile, name: string): Service => {
  const found = file.services[name];
  if (!found) throw new Error(`no service ${name}`);
  return found;
};
/** The compose file's own variables (`${NAME:-default}`), not the containers'. */
const interpolated = new Set([...readRepoFile(COMPOSE).matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] ?? ''));
const webServerVariables = new Set([...readRepoFile('docker/nginx/business-brain.envsh').matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] ?? '').filter((n) => !n.startsWith('BB_')));
const defaults = new EnvironmentVariables() as unknown as Record<string, unknown>;

/**
 * `docker-compose config` (Compose v1, Debian's package) on a copy of the compose file laid out as in
 * the repository, with `.env` beside it holding `dotenv`: the file as Compose resolves it.
 */
function composeConfig(dotenv: string, args: string[] = [], profiles: string[] = []): { status: number | null; stderr: string; config: ComposeFile | null } {
  const dir = mkdtempSync(join(tmpdir(), 'bb-compose-'));
  try {
    mkdirSync(join(dir, 'docker'));
    copyFileSync(readPath(COMPOSE), join(dir, COMPOSE));
    writeFileSync(join(dir, '.env'), dotenv);
    const result = run('docker-compose', ['--env-file', join(dir, '.env'), '-f', join(dir, COMPOSE), ...profiles.flatMap((p) => ['--profile', p]), 'config', ...args], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '' },
      install: INSTALL,
    });
    return { status: result.status, stderr: result.stderr, config: result.status === 0 && args.length === 0 ? (parse(result.stdout) as ComposeFile) : null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const readPath = (path: string): string => join(__dirname, '../..', path);

describe('docker/docker-compose.yml', () => {
  const example = readRepoFile('.env.example');

  it('is valid for Compose v1 (docker-compose config -q)', () => {
    const result = composeConfig(example, ['-q']);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('runs PostgreSQL with pgvector on a named volume, and starts each service once the one before is healthy', () => {
    const db = service(raw, 'db');
    expect(db.image).toMatch(/^pgvector\/pgvector:0\.8\.\d+-pg1[5-9]$/);
    expect(db.volumes).toEqual(['pgdata:/var/lib/postgresql/data']);
    expect(Object.keys(raw.volumes ?? {})).toEqual(['pgdata']);
    expect(service(raw, 'backend').depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(service(raw, 'frontend').depends_on).toEqual({ backend: { condition: 'service_healthy' } });
    for (const name of ['db', 'backend', 'frontend']) expect(service(raw, name).healthcheck?.test.length).toBeGreaterThan(0);
  });

  it('builds the two images from the repository root with their Dockerfiles', () => {
    expect(service(raw, 'backend').build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
    expect(service(raw, 'frontend').build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile.frontend' });
  });

  it('gives the backend a configuration it accepts: the example .env, with the containers\' own settings on top', () => {
    const resolved = composeConfig(example).config as ComposeFile;
    const env = service(resolved, 'backend').environment ?? {};
    const names = backendVariableNames();
    for (const name of Object.keys(service(raw, 'backend').environment ?? {})) expect({ name, known: names.has(name) }).toEqual({ name, known: true });
    expect(service(raw, 'backend').env_file).toBe('../.env');
    const config = loadAppConfig(env);
    expect(config.database).toMatchObject({ engine: 'postgres' });
    expect(env['DATABASE_URL']).toBe('postgresql://business_brain:business_brain@db:5432/business_brain');
    // and in production, with a Clerk key
    expect(loadAppConfig({ ...env, NODE_ENV: 'production', CLERK_JWT_KEY: generateSigningKey().publicPem }).authMode).toBe('clerk');
  });

  it('publishes the ports the servers listen on, and checks their health where they answer', () => {
    const resolved = composeConfig(example).config as ComposeFile;
    const backend = service(resolved, 'backend');
    const port = backend.environment?.['PORT'];
    expect(port).toBe(String(defaults['PORT']));
    expect(service(raw, 'backend').ports).toEqual([`127.0.0.1:\${BACKEND_PORT:-8000}:${String(port)}`]);
    expect(service(raw, 'backend').healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${String(port)}/health'`);

    const frontend = service(resolved, 'frontend');
    const nginxPort = frontend.environment?.['NGINX_PORT'];
    expect(service(raw, 'frontend').ports).toEqual([`\${FRONTEND_PORT:-8080}:${String(nginxPort)}`]);
    expect(service(raw, 'frontend').healthcheck?.test).toContain(`http://127.0.0.1:${String(nginxPort)}/`);
    expect(frontend.environment?.['BACKEND_URL']).toBe(`http://backend:${String(port)}`);
  });

  it('gives the web server exactly the settings its start-up script reads, with the backend\'s values', () => {
    const frontend = (dotenv: string) => service(composeConfig(dotenv).config as ComposeFile, 'frontend').environment ?? {};
    expect(new Set(Object.keys(service(raw, 'frontend').environment ?? {}))).toEqual(webServerVariables);
    const shared = ['MAX_UPLOAD_BYTES', 'MAX_FILES_PER_REQUEST', 'MAX_JSON_BODY_BYTES', 'HSTS_MAX_AGE', 'CLERK_PUBLISHABLE_KEY'];
    // what .env says, the backend and the web server both get
    const custom = `${example}\nMAX_UPLOAD_BYTES=1234567\nHSTS_MAX_AGE=600\nCLERK_PUBLISHABLE_KEY=pk_test_Y2xlcmsuZXhhbXBsZS5jb20k\n`;
    const backendEnv = service(composeConfig(custom).config as ComposeFile, 'backend').environment ?? {};
    const frontendEnv = frontend(custom);
    for (const name of shared) expect({ name, web: frontendEnv[name] }).toEqual({ name, web: backendEnv[name] });
    expect(frontendEnv['MAX_UPLOAD_BYTES']).toBe('1234567');
    // with nothing in .env, the web server's defaults are the backend's
    const bare = frontend('');
    for (const name of shared.filter((n) => n !== 'CLERK_PUBLISHABLE_KEY')) expect({ name, web: bare[name] }).toEqual({ name, web: String(defaults[name]) });
    expect(bare['CLERK_PUBLISHABLE_KEY']).toBe('');
  });

  it('runs optional ingestion workers (profile "workers") from the backend\'s image, on its database, once it is healthy', () => {
    expect((raw.services['worker'] as Service & { profiles?: string[] }).profiles).toEqual(['workers']);
    expect(service(raw, 'worker').image).toBe(service(raw, 'backend').image);
    expect(service(raw, 'worker').depends_on).toEqual({ backend: { condition: 'service_healthy' } });
    expect(service(raw, 'worker').healthcheck?.test.join(' ')).toContain("http://127.0.0.1:8000/health/ready'");
    const resolved = composeConfig(example, [], ['workers']);
    expect({ status: resolved.status, stderr: resolved.stderr }).toEqual({ status: 0, stderr: '' });
    const withWorkers = resolved.config as ComposeFile;
    const workerEnv = service(withWorkers, 'worker').environment ?? {};
    const backendEnv = service(withWorkers, 'backend').environment ?? {};
    expect(workerEnv['DATABASE_URL']).toBe(backendEnv['DATABASE_URL']);
    const config = loadAppConfig(workerEnv);
    expect([config.mode, config.ingestion.workerEnabled, config.database.engine]).toEqual(['worker', true, 'postgres']);
    // the resolved file keeps the profile, so `up` without --profile workers starts no worker
    expect((service(composeConfig(example).config as ComposeFile, 'worker') as Service & { profiles?: string[] }).profiles).toEqual(['workers']);
  });

  it('believes the web server\'s X-Forwarded-For (one hop) unless .env says otherwise', () => {
    expect(loadAppConfig(service(composeConfig(example).config as ComposeFile, 'backend').environment ?? {}).http.trustProxy).toBe(1);
    const own = service(composeConfig(`${example}\nTRUST_PROXY=172.16.0.0/12\n`).config as ComposeFile, 'backend').environment ?? {};
    expect(loadAppConfig(own).http.trustProxy).toEqual(['172.16.0.0/12']);
  });

  it('uses only variables that .env.example documents', () => {
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] ?? ''));
    for (const name of interpolated) expect({ name, documented: documented.has(name) }).toEqual({ name, documented: true });
  });
});
