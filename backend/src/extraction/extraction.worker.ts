import { extractDocument } from './extract-document.js';
import { serializeError, type ExtractionOutcome, type ExtractionTask } from './worker-protocol.js';

/** Piscina task handler: one extraction, run in a worker thread so parsing never blocks the API's event loop. */
export default async function extractInWorker(task: ExtractionTask): Promise<ExtractionOutcome> {
  try {
    return { ok: true, document: await extractDocument(task.bytes, task.hints, task.limits) };
  } catch (error) {
    const serialized = serializeError(error);
    if (serialized) return { ok: false, error: serialized };
    throw error;
  }
}
