import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { declaredVariableNames } from '../src/config/environment-variables.js';
import { ConfigurationError, loadAppConfig } from '../src/config/load-app-config.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadAppConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
};

describe('loadAppConfig', () => {
  it('has working defaults: port 8000, embedded PGlite under ./data, migrations on, auth in development mode', () => {
    const config = loadAppConfig({});
    expect(config.port).toBe(8000);
    expect(config.database).toEqual({ engine: 'pglite', dataDir: expect.stringMatching(/data\/pglite$/) });
    expect(config.migrations.runOnStart).toBe(true);
    expect(config.authMode).toBe('development');
    expect(config.nodeEnv).toBe('development');
  });

  it('keeps PGlite in memory for DATA_DIR=memory:// (nothing written to disk)', () => {
    expect(loadAppConfig({ DATA_DIR: 'memory://' }).database).toEqual({ engine: 'pglite', dataDir: 'memory://' });
  });

  it('uses PostgreSQL with a configurable pool when DATABASE_URL is set', () => {
    const config = loadAppConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db', DATABASE_POOL_MAX: '7' });
    expect(config.database).toEqual(expect.objectContaining({ engine: 'postgres', poolMax: 7 }));
  });

  it('names each malformed variable', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://x', RUN_MIGRATIONS: 'perhaps', LOG_LEVEL: 'loud' });
    const named = problems.map((p) => p.split(':')[0]).sort();
    expect(named).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'RUN_MIGRATIONS']);
  });

  it('refuses production without a Clerk key', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).join()).toMatch(/CLERK_SECRET_KEY/);
    expect(loadAppConfig({ NODE_ENV: 'production', CLERK_SECRET_KEY: 'sk_live_abc' }).authMode).toBe('clerk');
  });

  it('never echoes a secret value in its messages', () => {
    const problems = problemsOf({ CLERK_SECRET_KEY: 'not-a-key-but-secret-123' });
    expect(problems.join()).toMatch(/CLERK_SECRET_KEY/);
    expect(problems.join()).not.toContain('secret-123');
  });

  it('serves /metrics only with a long, printable METRICS_TOKEN, never echoed', () => {
    expect(loadAppConfig({}).metrics.token).toBeUndefined();
    expect(loadAppConfig({ METRICS_TOKEN: '' }).metrics.token).toBeUndefined();
    const token = 'a3f1'.repeat(8);
    expect(loadAppConfig({ METRICS_TOKEN: token }).metrics.token).toBe(token);
    for (const bad of ['too-short-secret-1234', `${'b7'.repeat(20)} with-a-space`, `${'c9'.repeat(20)}\u00e9`]) {
      const problems = problemsOf({ METRICS_TOKEN: bad });
      expect(problems.map((p) => p.split(':')[0])).toEqual(['METRICS_TOKEN']);
      expect(problems.join()).not.toContain(bad.slice(0, 12));
    }
  });

  it('accepts a PEM key with escaped newlines, as .env files often carry it', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\\nMIIBIjAN\\n-----END PUBLIC KEY-----';
    const config = loadAppConfig({ CLERK_JWT_KEY: pem });
    expect(config.clerk.jwtKey).toContain('\n');
    expect(config.authMode).toBe('clerk');
  });

  it('carries an optional Clerk publishable key, which alone does not turn authentication on', () => {
    expect(loadAppConfig({ CLERK_SECRET_KEY: 'sk_test_abc', CLERK_PUBLISHABLE_KEY: 'pk_test_abc' }).clerk.publishableKey).toBe('pk_test_abc');
    expect(loadAppConfig({ CLERK_PUBLISHABLE_KEY: '' }).clerk.publishableKey).toBeUndefined();
    expect(loadAppConfig({ CLERK_PUBLISHABLE_KEY: 'pk_live_abc' }).authMode).toBe('development');
    expect(problemsOf({ CLERK_PUBLISHABLE_KEY: 'sk_test_abc' }).map((p) => p.split(':')[0])).toEqual(['CLERK_PUBLISHABLE_KEY']);
  });

  it('bounds how long a client may take to send a request, and keeps the deadlines consistent', () => {
    expect(loadAppConfig({}).http).toEqual({ headersTimeoutMs: 20_000, requestTimeoutMs: 120_000, trustProxy: false });
    expect(problemsOf({ HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '4000', UPLOAD_MEMORY_WAIT_MS: '0' }).map((p) => p.split(':')[0])).toEqual([
      'HTTP_HEADERS_TIMEOUT_MS',
    ]);
    expect(problemsOf({ HTTP_REQUEST_TIMEOUT_MS: '30000' }).map((p) => p.split(':')[0])).toEqual(['UPLOAD_MEMORY_WAIT_MS']);
  });

  it('runs the API and a worker by default, or either alone (a worker only on PostgreSQL)', () => {
    const pg = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db' };
    expect([loadAppConfig({}).mode, loadAppConfig({}).ingestion.workerEnabled]).toEqual(['all', true]);
    expect([loadAppConfig({ APP_MODE: 'api' }).mode, loadAppConfig({ APP_MODE: 'api' }).ingestion.workerEnabled]).toEqual(['api', false]);
    expect([loadAppConfig({ ...pg, APP_MODE: 'worker' }).mode, loadAppConfig({ ...pg, APP_MODE: 'worker' }).ingestion.workerEnabled]).toEqual(['worker', true]);
    expect(problemsOf({ APP_MODE: 'worker' }).map((p) => p.split(':')[0])).toEqual(['APP_MODE']);
    expect(problemsOf({ ...pg, APP_MODE: 'worker', INGESTION_WORKER: 'false' }).map((p) => p.split(':')[0])).toEqual(['INGESTION_WORKER']);
    expect(problemsOf({ APP_MODE: 'both' }).map((p) => p.split(':')[0])).toEqual(['APP_MODE']);
  });

  it('reads the optional variables that have no default, as well as the rest', () => {
    const config = loadAppConfig({ OPENAI_API_KEY: 'sk-test', OPENAI_CHAT_MODEL: 'gpt-4o-mini', INGESTION_CONCURRENCY: '8', INGESTION_TENANT_CONCURRENCY: '3' });
    expect(config.answers.chatModel).toBe('gpt-4o-mini');
    expect(config.ingestion.tenantConcurrency).toBe(3);
    expect(problemsOf({ INGESTION_TENANT_CONCURRENCY: '0' }).map((p) => p.split(':')[0])).toEqual(['INGESTION_TENANT_CONCURRENCY']);
  });

  it('documents every variable it reads in .env.example', () => {
    const declared = declaredVariableNames();
    const documented = new Set([...readFileSync(resolve(__dirname, '../../.env.example'), 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect([...declared].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('believes X-Forwarded-For only from the proxies TRUST_PROXY names, or its number of hops', () => {
    expect(loadAppConfig({}).http.trustProxy).toBe(false);
    expect(loadAppConfig({ TRUST_PROXY: '' }).http.trustProxy).toBe(false);
    expect(loadAppConfig({ TRUST_PROXY: '2' }).http.trustProxy).toBe(2);
    expect(loadAppConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,fd00::/8' }).http.trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
    for (const bad of ['true', '11', 'proxy.internal', '10.0.0.0/33', '10.0.0.1/8/1', '127.0.0.1,']) {
      expect(problemsOf({ TRUST_PROXY: bad }).map((p) => p.split(':')[0])).toEqual(['TRUST_PROXY']);
    }
    expect(problemsOf({ TRUST_PROXY: 'secret-host' }).join()).not.toContain('secret-host');
  });
});
