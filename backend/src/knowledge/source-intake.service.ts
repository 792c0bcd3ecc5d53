import { Injectable } from '@nestjs/common';
import type { UploadedMultipartFile } from '@nestjs/platform-fastify/multipart';

import { AppError } from '../common/errors/app-error.js';
import { AppConfigService } from '../config/app-config.service.js';
import { ACCEPTED_TYPES, detectFormat } from '../extraction/extraction-format.js';
import { parseSourceUrl } from '../common/url/parse-source-url.js';
import { fileSource, textSource, urlSource, type NewSource } from '../documents/new-source.js';

/**
 * The browser chose the name: control characters (U+0000 cannot be stored at all) are dropped
 * rather than refusing the file.
 */
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const cleanFilename = (name: string | undefined): string => (name ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim() || 'upload';

export interface IncomingSources {
  files: UploadedMultipartFile[];
  url?: string;
  text?: string;
}

/**
 * Checks what can be known at upload time, so the client hears it at once: an empty or
 * unsupported file (415, decided from its bytes), a malformed URL, empty or oversized text.
 * What needs real parsing (a password-protected PDF, a truncated DOCX) fails the document later.
 */
@Injectable()
export class SourceIntake {
  constructor(private readonly config: AppConfigService) {}

  toSources(incoming: IncomingSources, required: boolean): NewSource[] {
    const sources: NewSource[] = [];
    for (const file of incoming.files) {
      const name = cleanFilename(file.originalname);
      const bytes = file.buffer;
      if (!bytes || bytes.length === 0) throw new AppError('validation_failed', `file "${name}" is empty`);
      if (bytes.length > this.config.get('uploads').maxFileBytes) {
        throw new AppError('payload_too_large', `file "${name}" is larger than ${this.config.get('uploads').maxFileBytes} bytes`);
      }
      const format = detectFormat(bytes, { filename: name, mimeType: file.mimetype });
      if (!format.ok) {
        throw new AppError(
          'unsupported_media_type',
          `file "${name}" is not a supported type (${format.detected}). Accepted: ${ACCEPTED_TYPES.map((t) => t.name).join(', ')}`,
        );
      }
      sources.push(fileSource(name, format.mimeType, bytes));
    }
    if (incoming.url !== undefined) {
      try {
        sources.push(urlSource(parseSourceUrl(incoming.url)));
      } catch (error) {
        throw new AppError('validation_failed', (error as Error).message, { fields: [{ field: 'url', problems: [(error as Error).message] }] });
      }
    }
    if (incoming.text !== undefined) {
      if (incoming.text.trim().length === 0) throw new AppError('validation_failed', 'text must not be blank');
      if (incoming.text.length > this.config.get('extraction').maxTextChars) {
        throw new AppError('payload_too_large', `text is longer than ${this.config.get('extraction').maxTextChars} characters`);
      }
      sources.push(textSource(incoming.text));
    }
    if (required && sources.length === 0) {
      throw new AppError('validation_failed', 'Provide at least one source: one or more `file` parts, a `url` or a `text`', {
        fields: [{ field: 'file', problems: ['at least one of file, url or text is required'] }],
      });
    }
    return sources;
  }
}
