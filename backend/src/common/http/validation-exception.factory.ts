import type { ValidationError } from 'class-validator';

import { AppError } from '../errors/app-error.js';

const flatten = (errors: ValidationError[], prefix = ''): { field: string; problems: string[] }[] =>
  errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });

/** Turns class-validator's output into a 400 that names every failing field. */
export const validationExceptionFactory = (errors: ValidationError[]): AppError => {
  const fields = flatten(errors);
  const summary = fields.map((f) => f.problems.join(', ')).join('; ');
  return new AppError('validation_failed', `Invalid request: ${summary}`, { fields });
};
