import { ACCEPTED_TYPES } from './accepted-types.js';

export type ExtractionErrorCode = 'empty' | 'encrypted' | 'no_text_layer' | 'corrupt' | 'too_large' | 'timeout';

/**
 * A document that can never be extracted as uploaded: retrying will not help. The message is
 * shown to the end user, so it names the problem and what to do, never a path or a parser's words.
 */
export class ExtractionError extends Error {
  constructor(
    readonly code: ExtractionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExtractionError';
  }
}

/** The content is not one of the accepted formats (whatever its name or declared type says); the API answers 415. */
export class UnsupportedTypeError extends Error {
  readonly acceptedTypes: string[] = ACCEPTED_TYPES.map((t) => t.name);

  constructor(
    /** A human name for what the bytes look like, e.g. "Windows executable". */
    readonly detected: string,
  ) {
    super(`Unsupported file type (detected: ${detected}). Accepted: ${ACCEPTED_TYPES.map((t) => t.name).join(', ')}`);
    this.name = 'UnsupportedTypeError';
  }
}

/** A PDF whose every page is empty has no text layer: scanned, or only images. */
export const noTextLayer = (): ExtractionError =>
  new ExtractionError(
    'no_text_layer',
    'The PDF has no text layer: it looks like a scanned document or contains only images. Run it through OCR and upload the result.',
  );
