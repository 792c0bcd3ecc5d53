import type { Entry } from '../bench-client.js';
import type { Upload } from './batch-upload.js';

/** The numbers of one 'document ready' log line: `ms` (the job) and the stages (`fetch_ms`, `extract_ms`, ...). */
export type ReadyLine = Record<string, number>;

/** pino's levels from warn up. */
const WARN = 40;

/**
 * Reads the server's log (pino JSON lines on its stdout): the 'document ready' lines by document
 * id, and the warnings and errors, counted by message with the numbers taken out.
 */
export class ServerLog {
  readonly byDocument = new Map<string, ReadyLine>();
  private warnings = new Map<string, number>();

  take(line: string): void {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof record !== 'object' || record === null) return;
    const fields = record as Record<string, unknown>;
    if (typeof fields['level'] === 'number' && fields['level'] >= WARN) {
      const message = String(fields['msg']).replace(/\d+/g, 'N').slice(0, 160);
      this.warnings.set(message, (this.warnings.get(message) ?? 0) + 1);
    }
    if (fields['msg'] !== 'document ready' || typeof fields['document_id'] !== 'string') return;
    const numbers: ReadyLine = {};
    for (const [key, value] of Object.entries(fields)) if (typeof value === 'number' && (key === 'ms' || key === 'chunks' || key.endsWith('_ms'))) numbers[key] = value;
    this.byDocument.set(fields['document_id'], numbers);
  }

  /** The warnings and errors since the last call, as lines "3x message". */
  takeWarnings(): string[] {
    const lines = [...this.warnings].sort((a, b) => b[1] - a[1]).map(([message, n]) => `${n}x ${message}`);
    this.warnings = new Map();
    return lines;
  }
}

interface DocumentTiming {
  name: string;
  pages: number;
  chunks: number;
  /** Upload sent to the API's answer. */
  uploadMs: number;
  /** Document created to its job starting (waiting for a worker), from the server's timestamps and the job's own time. */
  waitMs: number;
  /** Upload sent to ready (processed_at). */
  totalMs: number;
  line: ReadyLine | undefined;
}

/**
 * Where the batch's time went, from the server's own numbers: per document the wait for a worker
 * (created_at to the job's start: processed_at - created_at - the job's ms) and the job's stages;
 * the slowest documents in full, and the stages summed over the batch (they overlap in time, so
 * the sums say where work went, not what the wall clock was).
 */
export function describeStages(uploads: Upload[], entries: Entry[], log: ServerLog, warnings: string[], batchStarted: number, inFlight: number): string {
  const timings: DocumentTiming[] = uploads.map((u, i) => {
    const doc = entries[i]?.documents[0];
    const processed = Date.parse(doc?.processed_at ?? '');
    const line = doc ? log.byDocument.get(doc.id) : undefined;
    return {
      name: u.file.name,
      pages: u.file.pages,
      chunks: doc?.chunk_count ?? 0,
      uploadMs: u.acceptedAt - u.sentAt,
      waitMs: processed - Date.parse(doc?.created_at ?? '') - (line?.['ms'] ?? 0),
      totalMs: processed - u.sentAt,
      line,
    };
  });
  const stageKeys = [...new Set(timings.flatMap((t) => Object.keys(t.line ?? {}).filter((k) => k.endsWith('_ms'))))];
  const s = (ms: number | undefined): string => (ms === undefined || Number.isNaN(ms) ? '-' : (ms / 1000).toFixed(2));
  const logged = timings.filter((t) => t.line !== undefined).length;
  const sum = (pick: (t: DocumentTiming) => number | undefined): number => timings.reduce((n, t) => n + (pick(t) ?? 0), 0);
  const lastUploadAccepted = Math.max(...uploads.map((u) => u.acceptedAt));
  const processed = entries.flatMap((e) => e.documents.map((d) => Date.parse(d.processed_at ?? '')));
  const slowest = [...timings].sort((a, b) => b.totalMs - a.totalMs).slice(0, 8);
  return [
    `timeline (from the first upload sent): last upload accepted +${s(lastUploadAccepted - batchStarted)} s, first document ready +${s(Math.min(...processed) - batchStarted)} s, ` +
      `last +${s(Math.max(...processed) - batchStarted)} s; an upload took ${s(sum((t) => t.uploadMs) / timings.length)} s on average (${Number.isFinite(inFlight) ? `${inFlight} in flight` : 'all at once'})`,
    `stages summed over the ${timings.length} documents (${logged} 'document ready' lines; they overlap in time): waiting for a worker ${s(sum((t) => t.waitMs))} s, ` +
      stageKeys.map((k) => `${k.replace(/_ms$/, '')} ${s(sum((t) => t.line?.[k]))} s`).join(', ') +
      (stageKeys.includes('extract_ms') ? ' (extract includes waiting for a parsing thread)' : ''),
    `server warnings and errors during the batch: ${warnings.length === 0 ? 'none' : warnings.join('; ')}`,
    '',
    `| slowest documents (upload to ready) | pages | chunks | upload s | wait s | ${stageKeys.map((k) => `${k.replace(/_ms$/, '')} s`).join(' | ')} | upload to ready s |`,
    `|---|---|---|---|---|${stageKeys.map(() => '---|').join('')}---|`,
    ...slowest.map(
      (t) => `| ${t.name} | ${t.pages} | ${t.chunks} | ${s(t.uploadMs)} | ${s(t.waitMs)} | ${stageKeys.map((k) => s(t.line?.[k])).join(' | ')} | ${s(t.totalMs)} |`,
    ),
  ].join('\n');
}
