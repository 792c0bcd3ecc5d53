/**
 * The loopback OpenAI-compatible embedding server in a process of its own, so computing its
 * answers (the lexical vectors of hundreds of chunks at a time) never blocks the event loop of
 * the benchmark process, which also runs the app being measured. Prints one JSON line with its
 * URL and key, then serves until stdin closes.
 */
import { FakeOpenAiServer } from '../backend/test/support/fake-openai-server.js';

async function main(): Promise<void> {
  const server = await new FakeOpenAiServer({ latencyMs: Number(process.env['EMBEDDING_SERVER_LATENCY_MS'] ?? 100) }).start();
  process.stdout.write(`${JSON.stringify({ url: server.url, apiKey: server.apiKey })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void server.close().then(() => process.exit(0));
  });
}

void main();
