/**
 * What rate limiting costs a request: the same request timed with the limiter counting it (one
 * INSERT ... ON CONFLICT DO UPDATE ... RETURNING on rate_limit_windows) and with limits off (0).
 * The route is GET /routes/knowledge/vocabulary, which does no other database work, so the
 * difference is the counter's round trip; the statement is also timed alone on the driver.
 *
 *   npx tsc -p bench/tsconfig.json && node dist/bench/bench/rate-limit.bench.js          # PGlite
 *   BENCH_POSTGRES_ADMIN_URL=postgresql://bb_test:bb_test@127.0.0.1:5432/postgres node dist/bench/bench/rate-limit.bench.js
 *
 * Settings: BENCH_RATE_RUNS (2000 requests per variant, one at a time, after 200 untimed).
 */
import { startBenchApp } from './bench-app.js';

type Engine = 'postgres' | 'pglite';
const ADMIN = process.env['BENCH_POSTGRES_ADMIN_URL'];
const ENGINES = (process.env['BENCH_ENGINES'] ?? (ADMIN ? 'postgres,pglite' : 'pglite')).split(',') as Engine[];
const RUNS = Number(process.env['BENCH_RATE_RUNS'] ?? 2000);
const WARMUP = 200;

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const stats = (samples: number[]): { p50: number; p95: number; mean: number } => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), mean: samples.reduce((s, x) => s + x, 0) / samples.length };
};
const ms = (x: number): string => `${x.toFixed(3)} ms`;

async function timeRequest(url: string): Promise<number> {
  const start = process.hrtime.bigint();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  for (const engine of ENGINES) {
    // both variants at once, their requests interleaved, so a busy machine slows both alike
    const off = await startBenchApp({ RATE_LIMIT_IP_PER_MINUTE: '0' }, { engine });
    const on = await startBenchApp({ RATE_LIMIT_IP_PER_MINUTE: '1000000000' }, { engine });
    try {
      const samples = { off: [] as number[], on: [] as number[], statement: [] as number[] };
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const a = await timeRequest(`${off.baseUrl}/routes/knowledge/vocabulary`);
        const b = await timeRequest(`${on.baseUrl}/routes/knowledge/vocabulary`);
        if (i >= WARMUP) {
          samples.off.push(a);
          samples.on.push(b);
        }
      }
      const window = new Date(Math.floor(Date.now() / 60_000) * 60_000);
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const start = process.hrtime.bigint();
        await on.database.query(
          `INSERT INTO rate_limit_windows (bucket, window_start, hits) VALUES ($1, $2, 1)
           ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1 RETURNING hits`,
          ['bench:statement', window],
        );
        if (i >= WARMUP) samples.statement.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      const [o, n, st] = [stats(samples.off), stats(samples.on), stats(samples.statement)];
      console.log(`${engine}: ${RUNS} requests each, one at a time, interleaved`);
      console.log(`  limits off  p50 ${ms(o.p50)}  p95 ${ms(o.p95)}  mean ${ms(o.mean)}`);
      console.log(`  limits on   p50 ${ms(n.p50)}  p95 ${ms(n.p95)}  mean ${ms(n.mean)}`);
      console.log(`  cost per request: p50 +${ms(n.p50 - o.p50)}, mean +${ms(n.mean - o.mean)}`);
      console.log(`  the statement alone (driver): p50 ${ms(st.p50)}  p95 ${ms(st.p95)}`);
    } finally {
      await on.close();
      await off.close();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
