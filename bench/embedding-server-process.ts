import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface EmbeddingServerProcess {
  url: string;
  apiKey: string;
  close(): Promise<void>;
}

/** Starts embedding-server-child.js (next to this file once compiled) and waits for its address. */
export async function startEmbeddingServerProcess(latencyMs = 100): Promise<EmbeddingServerProcess> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./embedding-server-child.js', import.meta.url))], {
    env: { ...process.env, EMBEDDING_SERVER_LATENCY_MS: String(latencyMs) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const address = await new Promise<{ url: string; apiKey: string }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (data: Buffer) => {
      out += data.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(JSON.parse(line) as { url: string; apiKey: string });
    });
    child.once('exit', (code) => reject(new Error(`the embedding server exited (${code})`)));
  });
  return {
    ...address,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
