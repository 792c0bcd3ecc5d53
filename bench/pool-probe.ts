/**
 * Loaded into the server being measured (`node --import dist/bench/bench/pool-probe.js
 * dist/backend/main.js`, started with an IPC channel): watches the PostgreSQL pool from inside the
 * process, by wrapping node-postgres's `Pool.prototype.connect` and `Client.prototype.query`
 * (the pool both Prisma's adapter and the service's own SQL use). For each checkout it notes how
 * long the caller waited for a connection and how long it was held, classed by its first
 * statement (the rate limiter's counter, the tenant guard's lookup, a transaction, other); for
 * each statement its class and time from sending to the result; and the event loop's utilisation
 * and the process's CPU time. The benchmark asks for a snapshot (`{probe: 'snapshot'}`) and
 * resets the samples (`{probe: 'reset'}`) over the IPC channel. Not part of the application.
 */
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';

import pg from 'pg';

export type StatementClass = 'rate-limit' | 'tenant-lookup' | 'begin' | 'set-tenant' | 'commit' | 'rollback' | 'other';
export type CheckoutClass = 'rate-limit' | 'tenant-lookup' | 'transaction' | 'other';

export interface ProbeSnapshot {
  /** Milliseconds this window lasted. */
  ms: number;
  statements: Record<string, { count: number; ms: number }>;
  checkouts: Record<string, { count: number; holdMs: number[]; statementMs: number[]; statements: number[] }>;
  waitMs: number[];
  /** Most callers waiting for a connection at once. */
  peakWaiting: number;
  eventLoopUtilization: number;
  eventLoopDelayP50Ms: number;
  eventLoopDelayP99Ms: number;
  cpuSeconds: number;
}

export interface ProbeRequest {
  probe: 'snapshot' | 'reset';
}

function classify(sql: string): StatementClass {
  const text = sql.trimStart().slice(0, 200);
  if (/^BEGIN/i.test(text)) return 'begin';
  if (/^COMMIT/i.test(text)) return 'commit';
  if (/^ROLLBACK/i.test(text)) return 'rollback';
  if (text.includes('rate_limit_windows')) return 'rate-limit';
  if (text.includes("set_config('app.tenant_id'")) return 'set-tenant';
  if (/FROM "public"\."tenants"/.test(text)) return 'tenant-lookup';
  return 'other';
}

const checkoutClassOf = (first: StatementClass): CheckoutClass =>
  first === 'begin' ? 'transaction' : first === 'rate-limit' || first === 'tenant-lookup' ? first : 'other';

interface Checkout {
  at: number;
  first: StatementClass | null;
  statementMs: number;
  statements: number;
}

let window = fresh();
const held = new WeakMap<object, Checkout>();
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
let elu: EventLoopUtilization = performance.eventLoopUtilization();
let cpu = process.cpuUsage();

function fresh(): { started: number; statements: ProbeSnapshot['statements']; checkouts: ProbeSnapshot['checkouts']; waitMs: number[]; peakWaiting: number } {
  return { started: performance.now(), statements: {}, checkouts: {}, waitMs: [], peakWaiting: 0 };
}

function recordStatement(client: object, kind: StatementClass, ms: number): void {
  const s = (window.statements[kind] ??= { count: 0, ms: 0 });
  s.count++;
  s.ms += ms;
  const checkout = held.get(client);
  if (checkout) {
    checkout.statementMs += ms;
    checkout.statements++;
  }
}

type Callback = (error: Error | undefined, ...rest: unknown[]) => void;
type AnyFn = (...args: unknown[]) => unknown;

const poolProto = pg.Pool.prototype as unknown as { connect: AnyFn; waitingCount: number; __probed?: boolean };
const originalConnect = poolProto.connect;
poolProto.connect = function probedConnect(this: typeof poolProto & { on: (e: string, f: (...a: unknown[]) => void) => void }, ...args: unknown[]) {
  if (!this.__probed) {
    this.__probed = true;
    this.on('acquire', (client: unknown) => held.set(client as object, { at: performance.now(), first: null, statementMs: 0, statements: 0 }));
    this.on('release', (_error: unknown, client: unknown) => {
      const checkout = held.get(client as object);
      if (!checkout) return;
      held.delete(client as object);
      const c = (window.checkouts[checkoutClassOf(checkout.first ?? 'other')] ??= { count: 0, holdMs: [], statementMs: [], statements: [] });
      c.count++;
      c.holdMs.push(performance.now() - checkout.at);
      c.statementMs.push(checkout.statementMs);
      c.statements.push(checkout.statements);
    });
  }
  const asked = performance.now();
  const note = (): void => {
    window.waitMs.push(performance.now() - asked);
  };
  const result = typeof args[0] === 'function'
    ? originalConnect.call(this, (error: Error | undefined, ...rest: unknown[]) => {
        note();
        (args[0] as Callback)(error, ...rest);
      })
    : (originalConnect.call(this) as Promise<unknown>).then((client) => {
        note();
        return client;
      });
  window.peakWaiting = Math.max(window.peakWaiting, this.waitingCount);
  return result;
};

const clientProto = pg.Client.prototype as unknown as { query: AnyFn };
const originalQuery = clientProto.query;
clientProto.query = function probedQuery(this: object, config: unknown, values?: unknown, callback?: unknown) {
  const sql = typeof config === 'string' ? config : typeof config === 'object' && config !== null && 'text' in config ? String((config as { text: unknown }).text) : '';
  const kind = classify(sql);
  const checkout = held.get(this);
  if (checkout && checkout.first === null) checkout.first = kind;
  const started = performance.now();
  const done = (): void => recordStatement(this, kind, performance.now() - started);
  const cb = typeof values === 'function' ? values : typeof callback === 'function' ? callback : undefined;
  if (cb) {
    const wrapped: Callback = (error, ...rest) => {
      done();
      (cb as Callback)(error, ...rest);
    };
    return typeof values === 'function' ? originalQuery.call(this, config, wrapped) : originalQuery.call(this, config, values, wrapped);
  }
  const result = originalQuery.call(this, config, values);
  if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
  return result;
};

function snapshot(): ProbeSnapshot {
  const used = performance.eventLoopUtilization(elu);
  const spent = process.cpuUsage(cpu);
  return {
    ms: performance.now() - window.started,
    statements: window.statements,
    checkouts: window.checkouts,
    waitMs: window.waitMs,
    peakWaiting: window.peakWaiting,
    eventLoopUtilization: used.utilization,
    eventLoopDelayP50Ms: delay.percentile(50) / 1e6,
    eventLoopDelayP99Ms: delay.percentile(99) / 1e6,
    cpuSeconds: (spent.user + spent.system) / 1e6,
  };
}

process.on('message', (message: ProbeRequest) => {
  if (message.probe === 'reset') {
    window = fresh();
    delay.reset();
    elu = performance.eventLoopUtilization();
    cpu = process.cpuUsage();
    process.send?.({ probe: 'reset' });
  } else if (message.probe === 'snapshot') {
    process.send?.({ probe: 'snapshot', snapshot: snapshot() });
  }
});
