import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { EnvironmentVariables } from '../../backend/src/config/environment-variables.js';
import { copyOf, dockerignored, envOf, instructionsOf, parseDockerfile, type Stage } from './support/dockerfile.js';
import { backendVariableNames, readRepoFile, ROOT, run } from './support/repo.js';
import { IMAGE_WEB_ROOT } from './support/web-server.js';

const BACKEND = 'docker/Dockerfile';
const FRONTEND = 'docker/Dockerfile.frontend';
const ENVSH = 'docker/nginx/business-brain.envsh';
/** Every stage builds in /app, laid out as the repository (the build context). */
const STAGE_ROOT = '/app/';
const LINTER = 'dockerfile-utils@0.16.3';

const stagesOf = (file: string): Stage[] => parseDockerfile(readRepoFile(file));
const finalStage = (file: string): Stage => {
  const stage = stagesOf(file).at(-1);
  if (!stage) throw new Error(`${file} has no stage`);
  return stage;
};
/** The variables the web server's start-up script reads from its environment (BB_* are its own). */
const webServerVariables = (): Set<string> =>
  new Set([...readRepoFile(ENVSH).matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] ?? '').filter((name) => !name.startsWith('BB_')));

/** `npm exec` of the pinned linter; its output names each problem with its line. */
const lint = (path: string) => run('npm', ['exec', '--yes', `--package=${LINTER}`, '--', 'dockerfile-utils', 'lint', path], { install: 'npm, from the npm registry' });

describe.each([BACKEND, FRONTEND])('%s', (file) => {
  const ignoreFile = readRepoFile(`${file}.dockerignore`);
  const stages = stagesOf(file);

  it('passes the Dockerfile linter (dockerfile-utils)', () => {
    const result = lint(file);
    expect({ status: result.status, problems: result.stdout + result.stderr }).toEqual({ status: 0, problems: '' });
  });

  it('copies from the build context only what exists and the .dockerignore lets through', () => {
    const sources = stages.flatMap((s) => instructionsOf(s, 'COPY').map(copyOf)).filter((c) => !c.from).flatMap((c) => c.sources);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      // explicit paths only: a wildcard would copy whatever lies around in the context
      expect({ source, exists: existsSync(resolve(ROOT, source)), ignored: dockerignored(ignoreFile, source) }).toEqual({ source, exists: true, ignored: false });
    }
  });

  it('copies from its build stage only what the build makes (the repository layout under /app)', () => {
    const build = stages.find((s) => s.name === 'build');
    expect(build).toBeDefined();
    expect(instructionsOf(build as Stage, 'WORKDIR').map((i) => i.args)).toEqual(['/app']);
    const fromBuild = stages.flatMap((s) => instructionsOf(s, 'COPY').map(copyOf)).filter((c) => c.from === 'build');
    expect(fromBuild.length).toBeGreaterThan(0);
    for (const source of fromBuild.flatMap((c) => c.sources)) {
      expect(source.startsWith(STAGE_ROOT)).toBe(true);
      const local = source.slice(STAGE_ROOT.length);
      expect({ source, builtHere: existsSync(resolve(ROOT, local)) }).toEqual({ source, builtHere: true });
    }
    // and what its RUN lines check for after building
    for (const run of instructionsOf(build as Stage, 'RUN')) {
      for (const [, path = ''] of run.args.matchAll(/test -f (\S+)/g)) expect({ path, exists: existsSync(resolve(ROOT, path)) }).toEqual({ path, exists: true });
    }
  });

  it('runs as a non-root user, with a health check, on the port it exposes', () => {
    const runtime = stages.at(-1) as Stage;
    const users = instructionsOf(runtime, 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0', '0:0']).not.toContain(users.at(-1));
    const [healthcheck] = instructionsOf(runtime, 'HEALTHCHECK');
    expect(healthcheck?.args).toMatch(/CMD/);
    const exposed = instructionsOf(runtime, 'EXPOSE').map((i) => i.args);
    const env = envOf(runtime);
    const port = env.get('PORT') ?? env.get('NGINX_PORT');
    expect(exposed).toEqual([port]);
  });
});

describe('the backend image', () => {
  const stages = stagesOf(BACKEND);
  const runtime = finalStage(BACKEND);

  it('installs its runtime packages from the backend manifest, with no dev dependencies', () => {
    const prodDeps = stages.find((s) => s.name === 'prod-deps') as Stage;
    const copies = instructionsOf(prodDeps, 'COPY').map(copyOf);
    expect(copies).toContainEqual({ from: 'build', sources: ['/app/dist/backend-manifest/'], destination: './' });
    expect(instructionsOf(prodDeps, 'RUN').map((i) => i.args).join(' ')).toMatch(/npm ci --omit=dev --ignore-scripts/);
    const fromProdDeps = instructionsOf(runtime, 'COPY').map(copyOf).filter((c) => c.from === 'prod-deps');
    expect(fromProdDeps.flatMap((c) => c.sources).sort()).toEqual(['/app/node_modules', '/app/package.json']);
  });

  it('carries no web app build, and its settings are the backend\'s', () => {
    const copied = instructionsOf(runtime, 'COPY').map(copyOf).flatMap((c) => c.sources);
    expect(copied.filter((s) => s.includes('frontend'))).toEqual([]);
    const names = backendVariableNames();
    const env = envOf(runtime);
    for (const name of env.keys()) expect({ name, known: names.has(name) }).toEqual({ name, known: true });
    // a relative MIGRATIONS_DIR (the default) is read from WORKDIR, where the migrations are copied
    expect(instructionsOf(runtime, 'WORKDIR').map((i) => i.args)).toEqual(['/app']);
    expect(copied).toContain(`${STAGE_ROOT}${new EnvironmentVariables().MIGRATIONS_DIR}`);
    expect(readRepoFile(BACKEND)).toMatch(/\/health'\)/);
  });
});

describe('the frontend image', () => {
  const runtime = finalStage(FRONTEND);
  const copies = instructionsOf(runtime, 'COPY').map(copyOf);

  it('serves the Angular build from the root the web server config names', () => {
    expect(copies).toContainEqual({ from: 'build', sources: ['/app/dist/frontend/browser/'], destination: `${IMAGE_WEB_ROOT}/` });
    expect(readRepoFile('docker/nginx/templates/default.conf.template')).toContain(`root ${IMAGE_WEB_ROOT};`);
  });

  it('installs the start-up script where the nginx image sources it (executable), before the templates are rendered', () => {
    expect(copies).toContainEqual({ sources: [ENVSH], destination: '/docker-entrypoint.d/10-business-brain.envsh' });
    expect(copies).toContainEqual({ sources: ['docker/nginx/templates/'], destination: '/etc/nginx/templates/' });
    expect(statSync(resolve(ROOT, ENVSH)).mode & 0o111).toBe(0o111);
    // the image's own 20-envsubst-on-templates.sh renders them: this script sorts before it
    expect('10-business-brain.envsh' < '20-envsubst-on-templates.sh').toBe(true);
  });

  it('includes the rendered security headers from where the templates land (conf.d, under /etc/nginx)', () => {
    const includes = [...readRepoFile('docker/nginx/templates/default.conf.template').matchAll(/include (\S+);/g)].map((m) => m[1] ?? '');
    expect(includes.length).toBeGreaterThan(0);
    for (const include of includes) {
      const template = join('docker/nginx/templates', `${include.replace(/^conf\.d\//, '')}.template`);
      expect({ include, template: existsSync(resolve(ROOT, template)) }).toEqual({ include, template: true });
    }
  });

  it('takes the settings its start-up script reads, defaulting to the backend\'s own defaults', () => {
    const env = envOf(runtime);
    expect(new Set(env.keys())).toEqual(webServerVariables());
    const defaults = new EnvironmentVariables() as unknown as Record<string, unknown>;
    for (const name of ['MAX_UPLOAD_BYTES', 'MAX_FILES_PER_REQUEST', 'MAX_JSON_BODY_BYTES', 'HSTS_MAX_AGE']) {
      expect({ name, value: env.get(name) }).toEqual({ name, value: String(defaults[name]) });
    }
    expect(backendVariableNames().has('CLERK_PUBLISHABLE_KEY')).toBe(true);
    expect(env.get('BACKEND_URL')).toBe(`http://backend:${String(new EnvironmentVariables().PORT)}`);
  });
});

describe('the Dockerfile linter', () => {
  it('does find problems (so a clean run means something)', () => {
    const bad = resolve(ROOT, 'tmp/deploy-lint-bad.Dockerfile');
    mkdirSync(resolve(ROOT, 'tmp'), { recursive: true });
    writeFileSync(bad, 'FROM node:20 AS a\nEXPOSE abc\nCOPY --from=a\n');
    const result = lint(bad);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/Invalid containerPort: abc/);
    expect(readFileSync(bad, 'utf8')).toContain('EXPOSE abc');
  });
});
