/**
 * The controlled vocabularies for a knowledge entry's metadata. Served by
 * GET /routes/knowledge/vocabulary so the web app offers exactly these lists.
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

/**
 * Tags are compared and filtered in one form: trimmed, lower case, inner whitespace as single
 * hyphens, duplicates dropped. Accepts an array or a comma-separated string (as a form field).
 */
export function normaliseTags(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (value === '') return [];
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(raw)) return value;
  const out: string[] = [];
  for (const item of raw) {
    if (typeof item !== 'string') return value; // let validation name the problem
    const tag = item.normalize('NFC').trim().toLowerCase().replace(/\s+/g, '-');
    if (tag.length > 0 && !out.includes(tag)) out.push(tag);
  }
  return out;
}
