/**
 * The LangChain.js pipeline (bench/langchain, compiled there next to its own node_modules) in a
 * process of its own, for bench/compare.bench.ts: its CPU and peak RSS are its own. Each run is
 * measured from just before its clock starts to its end.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { LangChainMethods, LangChainOutcome, LangChainRun } from './child-methods.js';
import { serve } from './child-rpc.js';
import { ProcessMeter } from './process-meter.js';

/** The shape of bench/langchain/dist/langchain-pipeline.js. */
interface LangChainPipeline {
  runLangChainPipeline(options: LangChainRun & { onStart: () => void }): Promise<Omit<LangChainOutcome, 'usage'>>;
}

const modulePath = resolve('bench/langchain/dist/langchain-pipeline.js');
let pipeline: Promise<LangChainPipeline> | undefined;
const meter = new ProcessMeter();

serve<LangChainMethods>({
  run: async (options) => {
    pipeline ??= import(pathToFileURL(modulePath).href).then(
      (m) => m as LangChainPipeline,
      (error: unknown) => {
        throw new Error(`cannot load ${modulePath} (run through \`npx nx run backend:bench-compare\`, which installs and compiles bench/langchain): ${String(error)}`);
      },
    );
    const result = await (await pipeline).runLangChainPipeline({ ...options, onStart: () => meter.mark() });
    return { ...result, usage: meter.read() };
  },
  stop: () => Promise.resolve(null),
});
