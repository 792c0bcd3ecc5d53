import type { SourceFormat } from './extracted-document.js';

export interface AcceptedType {
  format: SourceFormat;
  /** Shown to users, e.g. in the 415 message. */
  name: string;
  /** The canonical MIME type first; the rest are aliases clients commonly send. */
  mimeTypes: readonly string[];
  extensions: readonly string[];
}

/** What ingestion accepts, for the API docs and error messages. Detection goes by content, not by these names. */
export const ACCEPTED_TYPES: readonly AcceptedType[] = [
  { format: 'pdf', name: 'PDF', mimeTypes: ['application/pdf'], extensions: ['.pdf'] },
  {
    format: 'docx',
    name: 'DOCX',
    mimeTypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    extensions: ['.docx'],
  },
  { format: 'html', name: 'HTML', mimeTypes: ['text/html', 'application/xhtml+xml'], extensions: ['.html', '.htm', '.xhtml'] },
  { format: 'markdown', name: 'Markdown', mimeTypes: ['text/markdown', 'text/x-markdown'], extensions: ['.md', '.markdown'] },
  { format: 'csv', name: 'CSV', mimeTypes: ['text/csv', 'text/tab-separated-values'], extensions: ['.csv', '.tsv'] },
  { format: 'text', name: 'plain text', mimeTypes: ['text/plain'], extensions: ['.txt', '.text', '.log'] },
];

export function canonicalMimeType(format: SourceFormat): string {
  const type = ACCEPTED_TYPES.find((t) => t.format === format);
  return type?.mimeTypes[0] ?? 'application/octet-stream';
}
