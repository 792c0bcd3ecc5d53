import { ExtractionError } from './extraction-errors.js';

export function textTooLarge(maxTextChars: number): ExtractionError {
  return new ExtractionError(
    'too_large',
    `The document contains more than ${maxTextChars.toLocaleString('en-US')} characters of text, the most one document may have. Split it into smaller files.`,
  );
}
