import { normaliseTag } from '@business-brain/contract';

/**
 * Tags as a request carries them, in their one stored form (see `normaliseTag` in the contract),
 * duplicates dropped. Accepts an array or a comma-separated string (as a form field). The
 * vocabularies and limits themselves live in `@business-brain/contract`.
 */
export function normaliseTags(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (value === '') return [];
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(raw)) return value;
  const out: string[] = [];
  for (const item of raw) {
    if (typeof item !== 'string') return value; // let validation name the problem
    const tag = normaliseTag(item);
    if (tag.length > 0 && !out.includes(tag)) out.push(tag);
  }
  return out;
}
