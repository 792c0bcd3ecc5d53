import { chunkText } from '../chunking/chunker.js';
import { warmUpTokenizer } from '../chunking/tokenizer.js';
import { sha256Hex } from '../common/crypto/sha256-hex.js';
import { extractDocument } from './extract-document.js';
import { serializeError, type ExtractionOutcome, type ExtractionTask } from './worker-protocol.js';

// Each worker builds its own tokenizer rank table (~0.1 s) when it starts, not inside its first task.
warmUpTokenizer();

/**
 * Piscina task handler: one extraction, and the chunking of its text when asked, run in a worker
 * thread so that neither parsing nor tokenising blocks the API's event loop.
 */
export default async function extractInWorker(task: ExtractionTask): Promise<ExtractionOutcome> {
  task.started.postMessage(null);
  task.started.close();
  try {
    const document = await extractDocument(task.bytes, task.hints, task.limits, task.span);
    const textLength = document.text.length;
    if (!task.chunking) return { ok: true, document, textLength };
    const chunks = chunkText({ text: document.text, pages: document.pages }, task.chunking).map((c) => ({ ...c, contentHash: sha256Hex(c.text) }));
    return { ok: true, document: { ...document, text: '' }, textLength, chunks };
  } catch (error) {
    const serialized = serializeError(error);
    if (serialized) return { ok: false, error: serialized };
    throw error;
  }
}
