import type { Rng } from './rng.js';

/**
 * Business prose from sentence templates over a few hundred everyday words: reads like a manual
 * or a policy (real words tokenize like real text, about 1.3 tokens a word), varied enough that
 * no two paragraphs repeat, so neither side's chunks or embeddings can be deduplicated away.
 */
const NOUNS = (
  'customer supplier invoice refund contract warranty shipment delivery order account payment budget forecast ' +
  'report audit policy procedure request ticket incident release vendor employee manager team department ' +
  'region warehouse inventory product service license renewal discount price quote proposal schedule project ' +
  'milestone deadline review approval exception record backup server database password device laptop badge ' +
  'expense receipt reimbursement payroll benefit training handbook guideline checklist template dashboard ' +
  'metric target quarter revenue margin cost risk control compliance requirement stakeholder meeting agenda'
).split(' ');

const PLURALS = NOUNS.map((n) => (/(s|x|ch|sh)$/.test(n) ? `${n}es` : /[^aeiou]y$/.test(n) ? `${n.slice(0, -1)}ies` : `${n}s`));

const VERBS = (
  'review approve record update confirm validate submit escalate close archive prepare send reconcile verify ' +
  'document schedule assign track report monitor renew cancel adjust publish share store retain protect'
).split(' ');

const ADJECTIVES = (
  'annual quarterly monthly weekly open pending approved overdue critical standard regional internal external ' +
  'new existing current previous final signed unsigned confidential shared primary secondary detailed summary'
).split(' ');

const ROLES = (
  'the account manager|the finance team|the regional lead|each department head|the support desk|the procurement office|' +
  'the project owner|the security officer|the warehouse supervisor|the legal team|every team member|the service provider'
).split('|');

const TIMES = (
  'within five working days|before the end of the quarter|at the start of each month|after every release|' +
  'before the contract renews|within 24 hours|by the agreed deadline|at least once a year|during onboarding|' +
  'before payment is released|as soon as the issue is known|at the next review meeting'
).split('|');

const REASONS = (
  'so that the records stay complete|because late changes cost more to correct|to keep the audit trail intact|' +
  'so that customers are not charged twice|to meet the retention requirements|because the forecast depends on it|' +
  'so that the next team can pick up the work|to avoid duplicate payments|so that risks are visible early'
).split('|');

const noun = (rng: Rng): string => rng.pick(NOUNS);
const plural = (rng: Rng): string => rng.pick(PLURALS);

const TEMPLATES: ((rng: Rng) => string)[] = [
  (r) => `${cap(r.pick(ROLES))} must ${r.pick(VERBS)} the ${r.pick(ADJECTIVES)} ${noun(r)} ${r.pick(TIMES)}`,
  (r) => `Every ${noun(r)} is ${past(r.pick(VERBS))} by ${r.pick(ROLES)} ${r.pick(TIMES)} ${r.pick(REASONS)}`,
  (r) => `If ${a(noun(r))} is ${r.pick(ADJECTIVES)}, ${r.pick(ROLES)} should ${r.pick(VERBS)} it and ${r.pick(VERBS)} the related ${plural(r)}`,
  (r) => `The ${r.pick(ADJECTIVES)} ${noun(r)} lists all ${plural(r)} for the ${noun(r)}, with the ${noun(r)} and the ${noun(r)} of each`,
  (r) => `${cap(plural(r))} that are ${r.pick(ADJECTIVES)} are kept for ${r.int(2, 10)} years ${r.pick(REASONS)}`,
  (r) => `In ${r.int(2019, 2025)}, the ${noun(r)} grew by ${r.int(2, 48)} percent, mostly from ${r.pick(ADJECTIVES)} ${plural(r)}`,
  (r) => `Do not ${r.pick(VERBS)} ${a(noun(r))} without ${a(r.pick(ADJECTIVES))} ${noun(r)} from ${r.pick(ROLES)}`,
  (r) => `${cap(r.pick(ROLES))} can ${r.pick(VERBS)} up to ${r.int(3, 50)} ${plural(r)} at once, but larger ${plural(r)} need ${a(noun(r))}`,
  (r) => `When the ${noun(r)} changes, ${r.pick(ROLES)} will ${r.pick(VERBS)} the ${noun(r)} and ${r.pick(VERBS)} the ${r.pick(ADJECTIVES)} ${plural(r)}`,
  (r) => `See section ${r.int(1, 12)}.${r.int(1, 9)} for how to ${r.pick(VERBS)} ${a(r.pick(ADJECTIVES))} ${noun(r)}`,
];

/** "a" or "an" before `word`. */
function a(word: string): string {
  return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function past(verb: string): string {
  if (verb.endsWith('e')) return `${verb}d`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ied`;
  if (verb === 'submit') return 'submitted';
  if (verb === 'cancel') return 'cancelled';
  return `${verb}ed`;
}

export function sentence(rng: Rng): string {
  return `${cap(rng.pick(TEMPLATES)(rng))}.`;
}

export function paragraph(rng: Rng, minSentences = 3, maxSentences = 7): string {
  return Array.from({ length: rng.int(minSentences, maxSentences) }, () => sentence(rng)).join(' ');
}

/** A short title in title case, e.g. "Overdue Invoice Review". */
export function title(rng: Rng, words = rng.int(2, 4)): string {
  const parts = [rng.pick(ADJECTIVES), ...Array.from({ length: words - 1 }, () => noun(rng))];
  return parts.map(cap).join(' ');
}

/** A list item: an imperative phrase, e.g. "Confirm the signed contract before payment is released". */
export function listItem(rng: Rng): string {
  return `${cap(rng.pick(VERBS))} the ${rng.pick(ADJECTIVES)} ${noun(rng)}${rng.chance(0.5) ? ` ${rng.pick(TIMES)}` : ''}`;
}

export function pickNoun(rng: Rng): string {
  return noun(rng);
}

/** "$12,345.67" */
export function money(rng: Rng, min: number, max: number): string {
  return formatMoney(rng.int(Math.round(min * 100), Math.round(max * 100)) / 100);
}

export function formatMoney(amount: number): string {
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A date of `year` as YYYY-MM-DD. */
export function isoDate(rng: Rng, year: number): string {
  return `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
