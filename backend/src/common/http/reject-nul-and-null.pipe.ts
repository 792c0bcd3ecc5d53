import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';

import { AppError } from '../errors/app-error.js';

interface FieldProblem {
  field: string;
  problems: string[];
}

const NUL_PROBLEM = (field: string): string => `${field} must not contain the NUL character (U+0000)`;
const NULL_PROBLEM = (field: string): string => `${field} must not be null (leave the field out instead)`;

const fieldName = (prefix: string, key: string): string => (prefix ? `${prefix}.${key}` : key);

/**
 * Collects every string holding U+0000 (keys too) and, in a body, every null, under its field
 * path. Array items are named by their field, as class-validator names them (`tags`).
 */
function collect(value: unknown, field: string, refuseNull: boolean, out: FieldProblem[]): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push({ field: field || 'value', problems: [NUL_PROBLEM(field || 'value')] });
    return;
  }
  if (value === null) {
    if (refuseNull && field) out.push({ field, problems: [NULL_PROBLEM(field)] });
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collect(item, field, refuseNull, out);
    return;
  }
  if (typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const name = fieldName(field, key.replaceAll('\u0000', '\\u0000'));
      if (key.includes('\u0000')) out.push({ field: name, problems: [NUL_PROBLEM(name)] });
      collect(item, name, refuseNull, out);
    }
  }
}

/**
 * Runs before validation on every query, path parameter and body (JSON or the text fields of a
 * multipart form): PostgreSQL's text cannot hold U+0000, so a string carrying it is refused with
 * a 400 naming the field instead of failing in the database (a 500); and since no request field
 * of this API is nullable, a null in a body is refused too, rather than reaching a NOT NULL
 * column. Uploaded file names are cleaned instead (see SourceIntake): the browser chose them.
 */
@Injectable()
export class RejectNulAndNullPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query' && metadata.type !== 'param') return value;
    const problems: FieldProblem[] = [];
    collect(value, metadata.type === 'param' ? (metadata.data ?? '') : '', metadata.type === 'body', problems);
    if (problems.length > 0) {
      const summary = problems.flatMap((p) => p.problems).join('; ');
      throw new AppError('validation_failed', `Invalid request: ${summary}`, { fields: problems });
    }
    return value;
  }
}
