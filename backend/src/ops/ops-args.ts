import { OpsError } from './ops-error.js';

/** The flags the ops commands take; each command accepts the ones it names. */
export type OpsFlag = 'file' | 'backend-url' | 'frontend-url' | 'force' | 'json' | 'tenant' | 'all';

export interface OpsArgs {
  /** --file, else BACKUP_FILE. */
  file?: string;
  /** --backend-url, else VERIFY_BACKEND_URL (no trailing slash). */
  backendUrl?: string;
  /** --frontend-url, else VERIFY_FRONTEND_URL (no trailing slash). */
  frontendUrl?: string;
  force: boolean;
  json: boolean;
  /** --tenant: one tenant's slug. */
  tenant?: string;
  /** --all: every chunk, not only those of another embedding model (reembed). */
  all: boolean;
}

const VALUE_FLAGS = new Set<OpsFlag>(['file', 'backend-url', 'frontend-url', 'tenant']);
const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

const httpUrl = (flag: string, value: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OpsError(`${flag}: not a URL (expected e.g. http://localhost:8000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OpsError(`${flag}: must be an http or https URL`);
  if (url.username || url.password) throw new OpsError(`${flag}: must not carry credentials`);
  return url.toString().replace(/\/+$/, '');
};

/**
 * `--name value`, `--name=value` and, for switches, `--force` / `--force=true|false` (the form Nx
 * forwards). Environment variables stand in for the value flags; a flag wins over its variable.
 */
export function parseOpsArgs(argv: readonly string[], env: Record<string, string | undefined>, accepted: readonly OpsFlag[]): OpsArgs {
  const given = new Map<OpsFlag, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const name = match?.[1] as OpsFlag | undefined;
    if (!match || !name || !accepted.includes(name)) {
      const known = accepted.length > 0 ? accepted.map((f) => `--${f}`).join(', ') : 'none';
      throw new OpsError(`unknown argument "${arg}" (this command takes: ${known})`);
    }
    let value = match[2];
    if (value === undefined && VALUE_FLAGS.has(name)) {
      value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new OpsError(`--${name} needs a value`);
    }
    given.set(name, value ?? 'true');
  }

  const text = (flag: OpsFlag, variable: string): string | undefined => {
    const value = given.get(flag) ?? (accepted.includes(flag) ? env[variable]?.trim() : undefined);
    return value === undefined || value === '' ? undefined : value;
  };
  const toggle = (flag: OpsFlag): boolean => {
    const value = given.get(flag);
    if (value === undefined) return false;
    if (TRUE.has(value)) return true;
    if (FALSE.has(value)) return false;
    throw new OpsError(`--${flag}: expected true or false`);
  };

  const tenant = given.get('tenant');
  const backendUrl = text('backend-url', 'VERIFY_BACKEND_URL');
  const frontendUrl = text('frontend-url', 'VERIFY_FRONTEND_URL');
  return {
    file: text('file', 'BACKUP_FILE'),
    backendUrl: backendUrl === undefined ? undefined : httpUrl('--backend-url / VERIFY_BACKEND_URL', backendUrl),
    frontendUrl: frontendUrl === undefined ? undefined : httpUrl('--frontend-url / VERIFY_FRONTEND_URL', frontendUrl),
    force: toggle('force'),
    json: toggle('json'),
    ...(tenant === undefined ? {} : { tenant }),
    all: toggle('all'),
  };
}
