/**
 * Business Brain in a process of its own, for bench/compare.bench.ts: its CPU and peak RSS are
 * the server's alone (the benchmark's HTTP client, the embedding server and the other side run
 * elsewhere). Started through RpcChild; logs JSON lines on stdout.
 */
import { startBenchApp, type BenchApp } from '../bench-app.js';
import type { ServerMethods } from './child-methods.js';
import { serve } from './child-rpc.js';
import { ProcessMeter } from './process-meter.js';

let app: BenchApp | undefined;
const meter = new ProcessMeter();

serve<ServerMethods>({
  start: async ({ env }) => {
    app = await startBenchApp(env);
    return { baseUrl: app.baseUrl, database: app.databaseName, engine: app.engine };
  },
  mark: () => {
    meter.mark();
    return Promise.resolve(null);
  },
  usage: () => Promise.resolve(meter.read()),
  stop: async () => {
    await app?.close();
    return null;
  },
});
