/**
 * An entry's status, derived from its documents and stored so lists can filter on it:
 * `processing` while any document is queued or processing (`queued` while all of them wait),
 * `ready` when all are ready (or there are none), `failed` when all failed, `partial` for a mix
 * of ready and failed. `DocumentLifecycle` keeps it in step with every change of a document.
 */
export const ENTRY_STATUSES = ['queued', 'processing', 'ready', 'failed', 'partial'] as const;
export const DOCUMENT_STATUSES = ['queued', 'processing', 'ready', 'failed'] as const;

export type EntryStatus = (typeof ENTRY_STATUSES)[number];
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
