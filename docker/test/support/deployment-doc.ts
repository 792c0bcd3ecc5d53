import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Checks an operator's guide (docs/deployment.md) against the repository: every Nx target, built
 * script, ops flag, setting, repository path and npm script it names must exist. Pure functions of
 * the text and a repository root, so the spec can feed them a broken copy too.
 */

/** Variables a command in the guide may set that are not the service's (.env.example lists those). */
export const NON_SERVICE_VARIABLES: readonly string[] = [
  // Nx's own switches, as the preamble of every ops run on a shared machine sets them
  'NX_DAEMON',
  'NX_NO_CLOUD',
  // psql's own variable (psql -v ON_ERROR_STOP=1)
  'ON_ERROR_STOP',
];

export interface RepoFacts {
  root: string;
  /** Nx project name -> its targets. */
  targets: Map<string, Set<string>>;
  /** Nx project name -> target -> the command it runs (nx:run-commands). */
  commands: Map<string, Map<string, string>>;
  /** package.json scripts. */
  npmScripts: Set<string>;
  /** Variable names .env.example documents (set or commented out). */
  envExample: Set<string>;
  /** Variables scripts/provision-postgres.sh documents in its Environment header. */
  provisionVariables: Set<string>;
}

interface ProjectJson {
  name?: string;
  targets?: Record<string, { options?: { command?: string } }>;
}

/** project.json files of the workspace: top-level folders and libs/*. */
function projectFiles(root: string): string[] {
  const dirs: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'dist') continue;
    dirs.push(entry.name);
    if (entry.name === 'libs') {
      for (const lib of readdirSync(join(root, 'libs'), { withFileTypes: true })) if (lib.isDirectory()) dirs.push(join('libs', lib.name));
    }
  }
  return dirs.map((dir) => join(root, dir, 'project.json')).filter((file) => existsSync(file));
}

export function readRepoFacts(root: string): RepoFacts {
  const targets = new Map<string, Set<string>>();
  const commands = new Map<string, Map<string, string>>();
  for (const file of projectFiles(root)) {
    const project = JSON.parse(readFileSync(file, 'utf8')) as ProjectJson;
    if (!project.name) continue;
    targets.set(project.name, new Set(Object.keys(project.targets ?? {})));
    commands.set(project.name, new Map(Object.entries(project.targets ?? {}).map(([name, t]) => [name, t.options?.command ?? ''])));
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const envExample = new Set([...readFileSync(join(root, '.env.example'), 'utf8').matchAll(/^#?[ \t]*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] ?? ''));
  // "# Environment:" then "#   NAME   what it does" lines
  const provision = readFileSync(join(root, 'scripts/provision-postgres.sh'), 'utf8');
  const header = provision.slice(provision.indexOf('# Environment:'), provision.indexOf('set -euo pipefail'));
  const provisionVariables = new Set([...header.matchAll(/^#\s{2,}([A-Z][A-Z0-9_]*)\s/gm)].map((m) => m[1] ?? ''));
  return { root, targets, commands, npmScripts: new Set(Object.keys(pkg.scripts ?? {})), envExample, provisionVariables };
}

/** The code of a Markdown text: fenced blocks' lines (continuations joined) and inline code spans. */
export function codeOf(markdown: string): string[] {
  const pieces: string[] = [];
  const prose: string[] = [];
  let fence: string[] | null = null;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      if (fence) {
        pieces.push(...joinContinuations(fence));
        fence = null;
      } else fence = [];
      continue;
    }
    if (fence) fence.push(line);
    else prose.push(line);
  }
  if (fence) pieces.push(...joinContinuations(fence));
  // inline code: `...` (a span does not cross a paragraph)
  for (const paragraph of prose.join('\n').split(/\n\s*\n/)) {
    for (const m of paragraph.matchAll(/(`+)([\s\S]+?)\1/g)) pieces.push((m[2] ?? '').replace(/\s*\n\s*/g, ' ').trim());
  }
  return pieces;
}

function joinContinuations(lines: string[]): string[] {
  const out: string[] = [];
  let pending = '';
  for (const line of lines) {
    if (/\\\s*$/.test(line)) pending += line.replace(/\\\s*$/, ' ');
    else {
      out.push(pending + line);
      pending = '';
    }
  }
  if (pending) out.push(pending);
  return out;
}

/** The arguments of a command up to the end of it (a pipe, a list operator, a redirect or a comment). */
const argsUntilEnd = (text: string): string => text.split(/\s*(?:\|\|?|&&|;|\d?>>?|<)|\s#|[)`]/)[0] ?? '';
const flagsIn = (args: string): string[] => [...args.matchAll(/(?:^|\s)--([a-z][a-z0-9-]*)/g)].map((m) => m[1] ?? '');

/** The flags a built backend script accepts: an ops command's `runOpsCommand([...])`, none for the others. */
export function acceptedFlags(root: string, script: string): Set<string> | null {
  const source = resolve(root, 'backend/src', `${script}.ts`);
  if (!existsSync(source)) return null;
  const declared = /runOpsCommand\(\s*\[([^\]]*)\]/.exec(readFileSync(source, 'utf8'));
  return new Set(declared ? [...(declared[1] ?? '').matchAll(/'([a-z-]+)'/g)].map((m) => m[1] ?? '') : []);
}

const REPO_PATH = /(?<![\w./~$-])((?:docker|scripts|prisma|backend|docs)\/[\w./-]*)/g;

/** Every problem found, one sentence each; none for a guide that holds. */
export function checkDeploymentDoc(markdown: string, facts: RepoFacts): string[] {
  const problems = new Set<string>();
  const code = codeOf(markdown);
  const scriptOfTarget = (project: string, target: string): string | null =>
    /node dist\/backend\/([\w/-]+)\.js/.exec(facts.commands.get(project)?.get(target) ?? '')?.[1] ?? null;
  const checkFlags = (where: string, script: string, args: string): void => {
    const accepted = acceptedFlags(facts.root, script);
    if (!accepted) return;
    for (const flag of flagsIn(args)) {
      if (!accepted.has(flag)) {
        const known = accepted.size > 0 ? [...accepted].map((f) => `--${f}`).join(', ') : 'none';
        problems.add(`${where}: --${flag} is not a flag it takes (it takes: ${known})`);
      }
    }
  };

  for (const piece of code) {
    // npx nx run <project>:<target> [-- args]
    for (const m of piece.matchAll(/\bnx run ([\w-]+):([\w:-]*[\w-])([^\n]*)/g)) {
      const [, project = '', target = '', rest = ''] = m;
      const targets = facts.targets.get(project);
      if (!targets) problems.add(`nx run ${project}:${target}: no Nx project named ${project}`);
      else if (!targets.has(target)) problems.add(`nx run ${project}:${target}: ${project} has no target ${target} (it has: ${[...targets].sort().join(', ')})`);
      else {
        const script = scriptOfTarget(project, target);
        const forwarded = /(?:^|\s)--(?=\s|$)([^\n]*)/.exec(argsUntilEnd(rest));
        if (script && forwarded) checkFlags(`nx run ${project}:${target}`, script, forwarded[1] ?? '');
      }
    }
    // node dist/backend/<script>.js [args]
    for (const m of piece.matchAll(/\bnode dist\/backend\/([\w/-]+)\.js([^\n]*)/g)) {
      const [, script = '', rest = ''] = m;
      if (!existsSync(resolve(facts.root, 'backend/src', `${script}.ts`))) problems.add(`node dist/backend/${script}.js: there is no backend/src/${script}.ts`);
      else checkFlags(`node dist/backend/${script}.js`, script, argsUntilEnd(rest));
    }
    // npm run <script>, npm start, npm test
    for (const m of piece.matchAll(/\bnpm (?:run(?:-script)? ([\w:.-]+)|(start|test)\b)/g)) {
      const name = m[1] ?? m[2] ?? '';
      if (!facts.npmScripts.has(name)) problems.add(`npm run ${name}: package.json has no script ${name}`);
    }
    // NAME=value: an assignment in a command or a setting line
    for (const m of piece.matchAll(/(?:^|[\s(;&|])(?:export\s+)?([A-Z][A-Z0-9_]*)=/g)) {
      const name = m[1] ?? '';
      if (!facts.envExample.has(name) && !facts.provisionVariables.has(name) && !NON_SERVICE_VARIABLES.includes(name)) {
        problems.add(`${name}=: not a setting .env.example documents`);
      }
    }
  }

  // repository paths, in prose and code alike
  for (const m of markdown.matchAll(REPO_PATH)) {
    const path = (m[1] ?? '').replace(/[.]+$/, '');
    if (!existsSync(resolve(facts.root, path))) problems.add(`${path}: no such file or folder in the repository`);
  }
  return [...problems];
}
