export type SourceFormat = 'pdf' | 'docx' | 'html' | 'markdown' | 'csv' | 'text';

/** Where one page's text sits in `ExtractedDocument.text`: char offsets, `end` exclusive. */
export interface PageRange {
  page: number;
  start: number;
  end: number;
}

export interface ExtractedDocument {
  format: SourceFormat;
  /** The canonical MIME type of the detected format, not the one the client declared. */
  mimeType: string;
  /** Normalised text: `\n` newlines, NFC, no control characters other than `\n` and `\t`. */
  text: string;
  title: string | null;
  /**
   * One range per page that has text, in page order (pages without text are left out, so a
   * range's `page` is not always its index + 1). Empty unless the format is paginated (PDF).
   */
  pages: PageRange[];
  pageCount: number | null;
  /** The character encoding the bytes were decoded from, for text formats. */
  encoding?: string;
}
