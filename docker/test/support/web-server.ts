import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { ROOT, run } from './repo.js';

/** Where the frontend image serves the build from, as docker/nginx/templates/default.conf.template says. */
export const IMAGE_WEB_ROOT = '/usr/share/nginx/business-brain';
export const LOCAL_WEB_ROOT = resolve(ROOT, 'dist/frontend/browser');
const INSTALL = 'apt-get install -y nginx (scripts/test.sh installs it)';

/** The web server's settings, as the frontend image takes them from its environment. */
export interface WebServerSettings {
  BACKEND_URL: string;
  MAX_UPLOAD_BYTES: string;
  MAX_FILES_PER_REQUEST: string;
  MAX_JSON_BODY_BYTES: string;
  HSTS_MAX_AGE: string;
  CLERK_PUBLISHABLE_KEY?: string;
}

export interface WebServer {
  baseUrl: string;
  dir: string;
  /** The access log (JSON lines) and the error log. */
  output(): string;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/**
 * What the nginx image's entrypoint does before nginx starts: sources the .envsh with the
 * container's environment (and nothing else), then renders every template with envsubst,
 * replacing only the variables that are set. Returns the folder holding conf.d/.
 */
export function renderConfig(dir: string, env: Record<string, string>): { status: number | null; stderr: string } {
  const script = [
    'set -e',
    '. ./docker/nginx/business-brain.envsh',
    `defined=$(awk 'END { for (name in ENVIRON) printf "\${%s} ", name }' </dev/null)`,
    'cd docker/nginx/templates',
    'for t in $(find . -name "*.template"); do',
    '  out="$OUT/${t%.template}"; mkdir -p "$(dirname "$out")"',
    '  envsubst "$defined" < "$t" > "$out"',
    'done',
  ].join('\n');
  const result = run('sh', ['-c', script], { env: { PATH: process.env['PATH'] ?? '', OUT: join(dir, 'conf.d'), ...env } });
  return { status: result.status, stderr: result.stderr };
}

/** Renders the image's configuration for `settings` and runs Debian's nginx on it, serving the local build. */
export async function startWebServer(settings: WebServerSettings): Promise<WebServer> {
  const dir = mkdtempSync(join(tmpdir(), 'bb-nginx-'));
  try {
    return await startIn(dir, settings);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function startIn(dir: string, settings: WebServerSettings): Promise<WebServer> {
  const port = await freePort();
  const rendered = renderConfig(dir, { NGINX_PORT: String(port), CLERK_PUBLISHABLE_KEY: '', ...settings });
  if (rendered.status !== 0) throw new Error(`the web server's settings were refused: ${rendered.stderr}`);
  // the one difference from the image: the build is served from where it was built
  const conf = join(dir, 'conf.d/default.conf');
  const text = readFileSync(conf, 'utf8');
  const rootLine = `root ${IMAGE_WEB_ROOT};`;
  if (text.split(rootLine).length !== 2) throw new Error(`default.conf should hold "${rootLine}" once`);
  writeFileSync(conf, text.replace(rootLine, `root ${LOCAL_WEB_ROOT};`));
  // the image's nginx.conf, as far as it matters here (its temp paths are the same kind: writable by the server)
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'worker_processes 1;',
      `pid ${dir}/nginx.pid;`,
      'error_log stderr notice;',
      'events { worker_connections 256; }',
      'http {',
      '  include /etc/nginx/mime.types;',
      '  default_type application/octet-stream;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t}_temp;`),
      '  sendfile on;',
      '  keepalive_timeout 65;',
      '  include conf.d/*.conf;',
      '}',
      '',
    ].join('\n'),
  );
  // the access log goes to /dev/stdout, as in the image: opened by path, so stdout is a file here
  // (a socket, as Node's pipes are, cannot be opened that way)
  const check = run('nginx', ['-t', '-q', '-p', dir, '-c', join(dir, 'nginx.conf')], { install: INSTALL, stdio: ['ignore', 'ignore', 'pipe'] });
  if (check.status !== 0) throw new Error(`nginx -t refused the configuration:\n${check.stderr}`);

  const accessLog = join(dir, 'access.log');
  const stdout = openSync(accessLog, 'a');
  const child: ChildProcess = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', stdout, 'pipe'] });
  closeSync(stdout);
  let errors = '';
  child.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
  const output = (): string => `${readFileSync(accessLog, 'utf8')}${errors}`;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await listening(port, child, output);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    dir,
    output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once `port` takes connections; rejects if nginx exits first. */
async function listening(port: number, child: ChildProcess, output: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited before listening:\n${output()}`);
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    });
    if (open) return;
    await new Promise((done) => setTimeout(done, 25));
  }
}
