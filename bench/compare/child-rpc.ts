import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** Methods a child serves: name to parameters and result (both sent as JSON over the IPC channel). */
export type Methods = Record<string, { params: unknown; result: unknown }>;

type Handlers<M extends Methods> = { [K in keyof M]: (params: M[K]['params']) => Promise<M[K]['result']> };

interface Request {
  id: number;
  method: string;
  params: unknown;
}

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

/**
 * In a child: answers the parent's calls one by one, in order. `stop` is answered and then the
 * process exits, so the parent can wait for a clean end.
 */
export function serve<M extends Methods>(handlers: Handlers<M>): void {
  const send = (reply: Reply): Promise<void> => new Promise((resolve) => process.send?.(reply, undefined, undefined, () => resolve()));
  let queue = Promise.resolve();
  process.on('message', (message: Request) => {
    queue = queue.then(async () => {
      const handler = (handlers as Record<string, ((params: unknown) => Promise<unknown>) | undefined>)[message.method];
      try {
        if (!handler) throw new Error(`unknown method ${message.method}`);
        await send({ id: message.id, result: (await handler(message.params)) ?? null });
      } catch (error) {
        await send({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
      if (message.method === 'stop') process.exit(0);
    });
  });
  process.on('disconnect', () => process.exit(1));
}

/**
 * A child process running `script`, called through its IPC channel. Its stdout and stderr go to
 * `logFile`; `onLine` sees each stdout line (the server's JSON log lines).
 */
export class RpcChild<M extends Methods> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(
    script: string,
    private readonly logFile: string,
    options: { env?: Record<string, string>; onLine?: (line: string) => void } = {},
  ) {
    this.child = fork(script, [], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const log = createWriteStream(logFile, { flags: 'a' });
    this.child.stderr?.pipe(log);
    const stdout = this.child.stdout;
    if (stdout) {
      createInterface({ input: stdout, crlfDelay: Infinity }).on('line', (line) => {
        log.write(`${line}\n`);
        options.onLine?.(line);
      });
    }
    this.child.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.error !== undefined) waiter.reject(new Error(`${script}: ${reply.error}`));
      else waiter.resolve(reply.result);
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code) => {
        for (const waiter of this.pending.values()) waiter.reject(new Error(`${script} exited (${code}) during a call; its log: ${this.logFile}\n${this.logTail()}`));
        this.pending.clear();
        log.end();
        resolve(code);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  call<K extends keyof M & string>(method: K, params: M[K]['params']): Promise<M[K]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, method, params } satisfies Request);
    });
  }

  /** Ends the child if it is still running (after a failed run). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private logTail(): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '';
    }
  }
}
