import { Rng, seedOf } from './rng.js';

/**
 * Bump whenever a generator's output changes (layout, prose, sizes): cached files live under
 * this name, so a new version never reads files of the old one.
 */
export const CORPUS_VERSION = 'corpus-v1';

export type FileKind = 'book' | 'report' | 'short-pdf' | 'receipt' | 'docx' | 'handbook' | 'bench-pdf' | 'bench-docx';

export interface FileSpec {
  /** The upload's file name (unique within a corpus). */
  name: string;
  kind: FileKind;
  /** Pages for the PDF kinds, body paragraphs for `docx` and `handbook`, "pages" (page breaks) for `bench-docx`. */
  size: number;
  seed: number;
  /** Summary line it is counted under. */
  group: string;
  /** Cache folder: corpora of other rounds or scales never share a file. */
  namespace: string;
}

const SHORT_TITLES = [
  'Travel and Expenses Policy', 'Supplier Onboarding Procedure', 'Board Meeting Minutes', 'Data Retention Policy',
  'Statement of Work', 'Product Data Sheet', 'Incident Postmortem', 'Sales Proposal', 'Security Awareness Guide',
  'Vendor Contract Summary', 'Quarterly Business Review', 'Returns and Refunds Policy', 'Onboarding Checklist',
  'Price List', 'Service Level Agreement',
];
const DOCX_TITLES = [
  'Team Meeting Notes', 'Project Brief', 'Leave Request Process', 'Marketing Plan', 'Hiring Guidelines', 'Release Notes',
  'Customer Escalation Process', 'Budget Memo', 'Remote Work Policy', 'Training Plan', 'Procurement Guidelines', 'Risk Register',
];
const MERCHANTS = ['Harbor Coffee House', 'Northwind Office Supply', 'Summit Print Shop', 'Granite Hardware', 'Maple Catering', 'Riverside Electronics', 'Bluebird Stationers'];

const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
/** `n` sizes from 1 to `max`, more small ones than large (as in a real folder), both ends included. */
const spread = (n: number, max: number, power: number): number[] =>
  Array.from({ length: n }, (_, i) => (n === 1 ? 1 : Math.max(1, Math.round(1 + (max - 1) * (i / (n - 1)) ** power))));

/**
 * The mixed batch of the issue, shaped like one real user's upload of 79 files: 46 PDFs (two books
 * of 352 and 619 pages, a 387-page table report, 14 one-page receipts, 29 documents of 1 to 20
 * pages) and 33 DOCX (an 872-paragraph handbook, 32 documents of 1 to 300 paragraphs). `scale`
 * shrinks the big files' sizes and the number of small files (for quick runs); the order is a
 * seeded shuffle, the same on every run.
 */
export function mixedCorpus(scale: number, namespace: string): FileSpec[] {
  const count = (n: number): number => Math.max(1, Math.round(n * scale));
  const sized = (n: number, min: number): number => Math.max(min, Math.round(n * scale));
  const spec = (name: string, kind: FileKind, size: number, group: string): FileSpec => ({
    name,
    kind,
    size,
    group,
    namespace,
    seed: seedOf(`${CORPUS_VERSION}:${namespace}:${name}`),
  });
  const files: FileSpec[] = [
    spec('field-service-manual.pdf', 'book', sized(352, 4), 'PDF books'),
    spec('product-reference-guide.pdf', 'book', sized(619, 4), 'PDF books'),
    spec('regional-operations-report-2024.pdf', 'report', sized(387, 2), 'PDF table report'),
  ];
  for (let i = 0; i < count(14); i++) {
    files.push(spec(`receipt-${String(i + 1).padStart(2, '0')}-${slug(MERCHANTS[i % MERCHANTS.length] ?? '')}.pdf`, 'receipt', 1, 'PDF receipts (1 page)'));
  }
  spread(count(29), 20, 1.7).forEach((pages, i) => {
    files.push(spec(`${slug(SHORT_TITLES[i % SHORT_TITLES.length] ?? '')}-${i + 1}.pdf`, 'short-pdf', pages, 'PDF documents (1-20 pages)'));
  });
  files.push(spec('employee-handbook.docx', 'handbook', sized(872, 2), 'DOCX handbook'));
  spread(count(32), 300, 1.8).forEach((paragraphs, i) => {
    files.push(spec(`${slug(DOCX_TITLES[i % DOCX_TITLES.length] ?? '')}-${i + 1}.docx`, 'docx', paragraphs, 'DOCX documents (1-300 paragraphs)'));
  });
  return shuffle(files, new Rng(seedOf(`${CORPUS_VERSION}:${namespace}:order`)));
}

/** The big book uploaded alone (same size as the batch's 619-page one, other content: nothing to reuse from the batch). */
export function soloBook(scale: number): FileSpec {
  const name = 'product-reference-guide-2025.pdf';
  return { name, kind: 'book', size: Math.max(4, Math.round(619 * scale)), group: 'PDF book (alone)', namespace: 'solo', seed: seedOf(`${CORPUS_VERSION}:solo:${name}`) };
}

/**
 * The original comparison's files: `perType` ten-page PDFs and as many ten-page DOCX, with the
 * seeds it always used (1000 + i, 2000 + i; warm-up round r: 3000 + 100r + i, 4000 + 100r + i).
 */
export function sixteenFileCorpus(perType: number, round: number | null): FileSpec[] {
  const namespace = round === null ? 'sixteen' : `sixteen-warmup-${round}`;
  const pdf = (i: number): FileSpec => ({
    name: round === null ? `report-${i}.pdf` : `warmup-${round}-${i}.pdf`,
    kind: 'bench-pdf',
    size: 10,
    seed: round === null ? 1000 + i : 3000 + 100 * round + i,
    group: 'PDF (10 pages)',
    namespace,
  });
  const docx = (i: number): FileSpec => ({
    name: round === null ? `memo-${i}.docx` : `warmup-${round}-${i}.docx`,
    kind: 'bench-docx',
    size: 10,
    seed: round === null ? 2000 + i : 4000 + 100 * round + i,
    group: 'DOCX (10 page breaks)',
    namespace,
  });
  const indexes = Array.from({ length: perType }, (_, i) => i);
  // the order the original comparison used: PDFs then DOCX; warm-up rounds alternate
  return round === null ? [...indexes.map(pdf), ...indexes.map(docx)] : indexes.flatMap((i) => [pdf(i), docx(i)]);
}

function shuffle<T>(items: T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
