/**
 * The controlled vocabularies and fixed limits of a knowledge entry. The backend validates with
 * them and serves them at GET /routes/knowledge/vocabulary; the web app offers exactly these.
 * Limits an operator can configure (file size, files per request) come from that route only.
 */
export const KNOWLEDGE_TYPES = [
  'Technical',
  'Reference',
  'Policy',
  'Process',
  'Product',
  'Sales',
  'Marketing',
  'Legal',
  'Finance',
  'People',
  'Research',
  'Other',
] as const;

export const KNOWLEDGE_INTENTS = [
  'Reference',
  'Technical',
  'Onboarding',
  'Training',
  'Support',
  'Decision-making',
  'Compliance',
  'Sales enablement',
  'Other',
] as const;

export type KnowledgeType = (typeof KNOWLEDGE_TYPES)[number];
export type KnowledgeIntent = (typeof KNOWLEDGE_INTENTS)[number];

export const TITLE_MAX_LENGTH = 200;
export const MAX_TAGS = 20;
export const TAG_MAX_LENGTH = 40;
export const URL_MAX_LENGTH = 2048;

/**
 * An entry's status, derived from its documents: `processing` while any document is queued or
 * processing (`queued` while all of them wait), `ready` when all are ready (or there are none),
 * `failed` when all failed, `partial` for a mix of ready and failed.
 */
export const ENTRY_STATUSES = ['queued', 'processing', 'ready', 'failed', 'partial'] as const;
export const DOCUMENT_STATUSES = ['queued', 'processing', 'ready', 'failed'] as const;
export const DOCUMENT_STAGES = ['fetching', 'extracting', 'embedding', 'retrying'] as const;
export const SOURCE_KINDS = ['file', 'url', 'text'] as const;

export type EntryStatus = (typeof ENTRY_STATUSES)[number];
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
export type DocumentStage = (typeof DOCUMENT_STAGES)[number];
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const SEARCH_MODES = ['hybrid', 'semantic', 'keyword'] as const;
export const SEARCH_METRICS = ['cosine', 'l2'] as const;
export const TAGS_MATCH = ['any', 'all'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];
export type SearchMetric = (typeof SEARCH_METRICS)[number];

/** File name endings the upload accepts (detection itself goes by content). */
export const ACCEPTED_FILE_EXTENSIONS = [
  '.pdf',
  '.docx',
  '.html',
  '.htm',
  '.xhtml',
  '.md',
  '.markdown',
  '.csv',
  '.tsv',
  '.txt',
  '.text',
  '.log',
] as const;

/** Trimmed, lower case, inner whitespace as single hyphens: the one form tags are stored, compared and filtered in. */
export function normaliseTag(tag: string): string {
  return tag.normalize('NFC').trim().toLowerCase().replace(/\s+/g, '-');
}
