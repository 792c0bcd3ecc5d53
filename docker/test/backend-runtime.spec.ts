import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import ts from 'typescript';

import { generateSigningKey } from '../../backend/test/support/clerk-tokens.js';
import { listeningPort, type ServerProcess } from '../../backend/test/support/server-process.js';
import { copyOf, instructionsOf, parseDockerfile } from './support/dockerfile.js';
import { readRepoFile, ROOT, run } from './support/repo.js';

/** Packages only the browser loads: none may be in the backend's install. */
const FRONTEND_ONLY = [/^@angular\//, /^@angular-devkit\//, /^@clerk\/clerk-js$/, /^zone\.js$/, /^@material\//];

interface Lock {
  packages: Record<string, { version?: string; dev?: boolean; link?: boolean; resolved?: string; integrity?: string }>;
}
interface Manifest {
  name: string;
  type: string;
  workspaces: string[];
  dependencies: Record<string, string>;
}

const packageName = (lockPath: string): string => lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);

/** Every module specifier the built backend imports (static, dynamic and require), read by TypeScript's own scanner. */
function importedSpecifiers(dir: string): Set<string> {
  const found = new Set<string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(m|c)?js$/.test(entry.name)) {
        for (const ref of ts.preProcessFile(readFileSync(path, 'utf8'), true, true).importedFiles) found.add(ref.fileName);
      }
    }
  };
  walk(dir);
  return found;
}

describe('the backend image\'s runtime install (dist/backend-manifest)', () => {
  let work: string;
  let app: string;
  let manifest: Manifest;
  let lock: Lock;
  const rootLock = JSON.parse(readRepoFile('package-lock.json')) as Lock;
  const rootPackage = JSON.parse(readRepoFile('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'bb-backend-runtime-'));
    app = join(work, 'app');
    const generated = run(process.execPath, ['scripts/backend-manifest.mjs', '--out', app], { env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
    if (generated.status !== 0) throw new Error(`scripts/backend-manifest.mjs failed:\n${generated.stdout}${generated.stderr}`);
    manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as Manifest;
    lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as Lock;
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('lists only runtime dependencies of the root package, at the versions the root lockfile installs', () => {
    expect(manifest.type).toBe('module');
    expect(Object.keys(manifest.dependencies).length).toBeGreaterThan(10);
    for (const [name, version] of Object.entries(manifest.dependencies)) {
      expect({ name, declared: name in rootPackage.dependencies, version }).toEqual({ name, declared: true, version: rootLock.packages[`node_modules/${name}`]?.version });
    }
    for (const name of Object.keys(manifest.dependencies)) expect({ name, frontendOnly: FRONTEND_ONLY.some((re) => re.test(name)) }).toEqual({ name, frontendOnly: false });
    expect(manifest.workspaces).toEqual(['libs/contract']);
  });

  it('locks a subset of the root lockfile: no dev-only and no browser-only package, each exactly as locked there', () => {
    const entries = Object.entries(lock.packages).filter(([path]) => path.includes('node_modules/'));
    expect(entries.length).toBeGreaterThan(100);
    for (const [path, entry] of entries) {
      const original = rootLock.packages[path];
      expect({ path, inRoot: Boolean(original), dev: original?.dev ?? false }).toEqual({ path, inRoot: true, dev: false });
      expect({ path, version: entry.version, integrity: entry.integrity }).toEqual({ path, version: original?.version, integrity: original?.integrity });
      expect({ path, frontendOnly: FRONTEND_ONLY.some((re) => re.test(packageName(path))) }).toEqual({ path, frontendOnly: false });
    }
    // what it leaves out of the full production install
    const rootRuntime = Object.entries(rootLock.packages).filter(([path, e]) => path.includes('node_modules/') && !e.dev && !e.link).map(([path]) => path);
    expect(rootRuntime.filter((path) => packageName(path).startsWith('@angular/')).length).toBeGreaterThan(0);
    expect(rootRuntime.length).toBeGreaterThan(entries.length);
  });

  it('installs with npm ci --omit=dev, lays out as the Dockerfile\'s runtime stage, and every import of dist/backend resolves', () => {
    cpSync(resolve(ROOT, 'libs/contract/package.json'), join(app, 'libs/contract/package.json'));
    const install = run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, install: 'npm, from the npm registry' });
    expect({ status: install.status, stderr: install.status === 0 ? '' : install.stderr }).toEqual({ status: 0, stderr: '' });
    // npm ci takes the lockfile as it is: it must not have had to change it
    expect(JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8'))).toEqual(lock);

    const installed = readdirSync(join(app, 'node_modules')).flatMap((name) => (name.startsWith('@') ? readdirSync(join(app, 'node_modules', name)).map((n) => `${name}/${n}`) : [name]));
    expect(installed.filter((name) => FRONTEND_ONLY.some((re) => re.test(name)))).toEqual([]);
    expect(existsSync(join(app, 'node_modules/@nestjs/core/package.json'))).toBe(true);

    // the rest of the runtime image, copied from the build as the Dockerfile's runtime stage does
    const runtime = parseDockerfile(readRepoFile('docker/Dockerfile')).at(-1);
    const fromBuild = instructionsOf(runtime ?? { base: '', instructions: [] }, 'COPY').map(copyOf).filter((c) => c.from === 'build');
    expect(fromBuild.length).toBeGreaterThan(0);
    for (const copy of fromBuild) {
      for (const source of copy.sources) cpSync(resolve(ROOT, source.replace(/^\/app\//, '')), join(app, copy.destination), { recursive: true });
    }

    const bare = [...importedSpecifiers(join(app, 'dist/backend'))].filter((s) => !s.startsWith('.') && !s.startsWith('/') && !isBuiltin(s));
    expect(bare).toEqual(expect.arrayContaining(['@nestjs/core', '@business-brain/contract', '@prisma/client/runtime/client']));
    // resolved as Node's ESM loader does, from dist/backend of the install
    const resolver = run(process.execPath, ['--input-type=module', '-e', 'for (const s of JSON.parse(process.env.SPECIFIERS)) { try { import.meta.resolve(s); } catch (e) { console.log(s); } }'], {
      cwd: join(app, 'dist/backend'),
      env: { PATH: process.env['PATH'] ?? '', SPECIFIERS: JSON.stringify(bare) },
    });
    expect({ status: resolver.status, unresolved: resolver.stdout.split('\n').filter(Boolean), stderr: resolver.stderr }).toEqual({ status: 0, unresolved: [], stderr: '' });
  });

  it('starts from that install alone (production, embedded PGlite) and answers /health and /health/ready', async () => {
    expect(existsSync(join(app, 'node_modules'))).toBe(true);
    const child = spawn(process.execPath, ['dist/backend/main.js'], {
      cwd: app,
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', DATA_DIR: 'memory://', CLERK_JWT_KEY: generateSigningKey().publicPem },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const server: ServerProcess = { child, output: () => output, exited: new Promise((done) => child.on('exit', (code) => done(code))) };
    try {
      const port = await listeningPort(server);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect({ status: health.status, body: await health.json() }).toEqual({ status: 200, body: { status: 'healthy' } });
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(ready.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await server.exited;
    }
  });
});
