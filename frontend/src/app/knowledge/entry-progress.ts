import type { KnowledgeEntryDetail } from '@business-brain/contract';

/** Whether an entry's status will not change by itself (nothing queued or processing). */
export function isSettled(status: string): boolean {
  return status !== 'queued' && status !== 'processing';
}

/** Processing progress of an entry, 0-100: the mean of its documents' (ready and failed ones count as done). */
export function entryProgress(detail: KnowledgeEntryDetail | null): number {
  if (!detail || detail.documents.length === 0) return 0;
  const sum = detail.documents.reduce((total, d) => total + (isSettled(d.status) ? 100 : d.progress), 0);
  return Math.round(sum / detail.documents.length);
}

/** Why an entry failed: its failed documents' reasons, each named by its source. */
export function failureReason(detail: KnowledgeEntryDetail | null): string {
  if (!detail) return '';
  return detail.documents
    .filter((d) => d.status === 'failed')
    .map((d) => `${d.filename ?? d.source_url ?? 'Text'}: ${d.error ?? 'processing failed'}`)
    .join(' · ');
}
