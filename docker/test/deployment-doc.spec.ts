import { checkDeploymentDoc, codeOf, readRepoFacts } from './support/deployment-doc.js';
import { readRepoFile, ROOT } from './support/repo.js';

const GUIDE = 'docs/deployment.md';

/**
 * docs/deployment.md names commands an operator types as written: each Nx target, built script,
 * ops flag, setting, repository path and npm script in it must exist in this repository, so a
 * renamed target or a dropped flag fails here rather than in someone's upgrade.
 */
describe(GUIDE, () => {
  const facts = readRepoFacts(ROOT);
  let guide = '';
  beforeAll(() => {
    guide = readRepoFile(GUIDE);
  });

  it('names only targets, scripts, flags, settings, paths and npm scripts that exist', () => {
    expect(checkDeploymentDoc(guide, facts)).toEqual([]);
  });

  it('exercises every ops task and the migration and server entry points', () => {
    const code = codeOf(guide).join('\n');
    for (const target of ['migrate', 'migrate:status', 'verify', 'db:stats', 'backup', 'restore', 'reembed']) {
      expect({ target, named: code.includes(`npx nx run backend:${target}`) }).toEqual({ target, named: true });
    }
    for (const script of ['main', 'ops/verify', 'ops/backup']) {
      expect({ script, named: code.includes(`node dist/backend/${script}.js`) }).toEqual({ script, named: true });
    }
  });
});

describe('the guide checker', () => {
  const facts = readRepoFacts(ROOT);
  const check = (markdown: string): string[] => checkDeploymentDoc(markdown, facts);

  it('accepts what exists', () => {
    const markdown = [
      'See `docker/docker-compose.yml` and scripts/provision-postgres.sh.',
      '```bash',
      'npx nx run backend:verify -- --backend-url http://127.0.0.1:8000 --frontend-url http://127.0.0.1:8080',
      'npx nx run backend:migrate:status',
      'npx nx run backend:backup -- --file backups/x.dump --force 2>&1 | tail -1',
      'PG_BIN_DIR=/usr/lib/postgresql/15/bin node dist/backend/ops/backup.js --file=backups/y.dump',
      'APP_MODE=worker PORT=8100 node dist/backend/main.js',
      'npm run start:prod',
      '```',
    ].join('\n');
    expect(check(markdown)).toEqual([]);
  });

  it('finds a target that does not exist, in a code block or in prose', () => {
    expect(check('```bash\nnpx nx run backend:migrate-status\n```')).toEqual([expect.stringMatching(/^nx run backend:migrate-status: backend has no target migrate-status \(it has: .*migrate:status/)]);
    expect(check('Run `npx nx run nobody:build` first.')).toEqual(['nx run nobody:build: no Nx project named nobody']);
  });

  it('finds a built script with no source', () => {
    expect(check('```bash\nnode dist/backend/ops/vacuum.js\n```')).toEqual(['node dist/backend/ops/vacuum.js: there is no backend/src/ops/vacuum.ts']);
  });

  it('finds a flag the task does not take, after -- or on the built script', () => {
    expect(check('```bash\nnpx nx run backend:backup -- --tenant acme\n```')).toEqual(['nx run backend:backup: --tenant is not a flag it takes (it takes: --file, --force)']);
    expect(check('`node dist/backend/ops/verify.js --url http://x`')).toEqual(['node dist/backend/ops/verify.js: --url is not a flag it takes (it takes: --backend-url, --frontend-url)']);
    expect(check('```bash\nnpx nx run backend:migrate:status -- --json\n```')).toEqual(['nx run backend:migrate:status: --json is not a flag it takes (it takes: none)']);
  });

  it('finds a setting that .env.example does not document', () => {
    expect(check('```bash\nDATABASE_URI=postgresql://x npx nx run backend:migrate\n```')).toEqual(['DATABASE_URI=: not a setting .env.example documents']);
    expect(check('Set `export EMBEDDINGS_MODEL=x` in .env.')).toEqual(['EMBEDDINGS_MODEL=: not a setting .env.example documents']);
  });

  it('finds a repository path that does not exist, and an npm script that does not', () => {
    expect(check('The compose file is docker/compose.yaml.')).toEqual(['docker/compose.yaml: no such file or folder in the repository']);
    expect(check('```bash\nnpm run start:production\n```')).toEqual(['npm run start:production: package.json has no script start:production']);
  });
});
