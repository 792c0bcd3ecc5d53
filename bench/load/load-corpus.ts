import { readFileSync } from 'node:fs';

import { materialize, type CorpusFile } from '../corpus/corpus-files.js';
import { CORPUS_VERSION, type FileKind, type FileSpec } from '../corpus/corpus-spec.js';
import { paragraph, title } from '../corpus/prose.js';
import { Rng, seedOf } from '../corpus/rng.js';

/** One file of an upload, in memory. */
export interface UploadFile {
  name: string;
  mimeType: string;
  bytes: Buffer;
}

/** One multipart request: an entry's metadata and its files. */
export interface Upload {
  tenant: string;
  title: string;
  type: string;
  intent: string;
  tags: string[];
  files: UploadFile[];
}

const MARKDOWN = 'text/markdown';
const TEXT = 'text/plain';

/** Sections of business prose, as a person's notes: `bytes` long, markdown headings or not. */
function prose(seed: string, bytes: number, markdown: boolean): Buffer {
  const rng = new Rng(seedOf(seed));
  const parts: string[] = [markdown ? `# ${title(rng, 3)}` : title(rng, 3)];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const text = (i % 5 === 4 ? (markdown ? `## ${title(rng)}\n\n` : `${title(rng)}\n\n`) : '') + paragraph(rng);
    parts.push(text);
    length += text.length + 2;
  }
  return Buffer.from(parts.join('\n\n').slice(0, bytes));
}

const text = (seed: string, name: string, bytes: number): UploadFile => ({
  name,
  mimeType: name.endsWith('.md') ? MARKDOWN : TEXT,
  bytes: prose(seed, bytes, name.endsWith('.md')),
});

/** What a tenant's ten uploads hold besides its small texts: generated PDFs and DOCX (cached on disk by corpus-files.ts). */
function generatedSpecs(tenant: number): { upload: number; spec: FileSpec }[] {
  const namespace = `load-${tenant}`;
  const spec = (upload: number, name: string, kind: FileKind, size: number): { upload: number; spec: FileSpec } => ({
    upload,
    spec: { name, kind, size, group: kind, namespace, seed: seedOf(`${CORPUS_VERSION}:${namespace}:${name}`) },
  });
  const specs = [
    // three receipts in one request, as someone files a week's expenses
    spec(4, 'receipt-1.pdf', 'receipt', 1),
    spec(4, 'receipt-2.pdf', 'receipt', 1),
    spec(4, 'receipt-3.pdf', 'receipt', 1),
    spec(5, 'policy.pdf', 'short-pdf', 2 + tenant * 4),
    spec(6, 'minutes.pdf', 'short-pdf', 1 + tenant),
    spec(7, 'project-brief.docx', 'docx', 30 + tenant * 50),
    spec(8, 'meeting-notes.docx', 'docx', 8 + tenant * 3),
  ];
  // the big ones: a book for the first tenant, a handbook for the second, a long table report for the third
  if (tenant === 0) specs.push(spec(9, 'product-reference-guide.pdf', 'book', 300));
  else if (tenant === 1) specs.push(spec(9, 'employee-handbook.docx', 'handbook', 872));
  else if (tenant === 2) specs.push(spec(9, 'operations-report.pdf', 'report', 120));
  else specs.push(spec(9, `quarterly-review-${tenant}.pdf`, 'short-pdf', 12 + tenant));
  return specs;
}

const TYPES = ['Policy', 'Process', 'Reference', 'Finance', 'Technical', 'People'] as const;
const INTENTS = ['Reference', 'Onboarding', 'Compliance', 'Support', 'Training'] as const;
/** Tags the list requests filter on. */
export const LOAD_TAGS = ['policy', 'finance', 'onboarding', 'support'] as const;

/**
 * The uploads of the load run: per tenant ten requests shaped like a person's: markdown and text
 * notes of a few KB to a few tens of KB, a text and a markdown file together, three receipts
 * together, two short PDFs and two DOCX of various sizes, and one bigger file (a 300-page book, an
 * 872-paragraph handbook, a 120-page table report, or a 12-16 page PDF). The fourth tenant also
 * gets a long pasted-size text (2 MB), the big text of the run. The same bytes every run.
 */
export async function loadUploads(tenants: string[]): Promise<{ uploads: Upload[]; generated: number }> {
  const uploads: Upload[] = [];
  let generated = 0;
  for (const [t, tenant] of tenants.entries()) {
    const seed = (label: string): string => `load:${t}:${label}`;
    const filesOf: UploadFile[][] = [
      [text(seed('note'), 'team-note.md', 2_000 + t * 700)],
      [text(seed('call'), 'customer-call.txt', 1_200 + t * 300)],
      [text(seed('policy'), 'expense-policy.md', 12_000 + t * 4_000)],
      [text(seed('faq'), 'faq.md', 6_000), text(seed('faq-notes'), 'faq-notes.txt', 3_000)],
      [], [], [], [], [],
      t === 3 ? [text(seed('big'), 'supplier-archive.txt', 2_000_000)] : [],
    ];
    const made = await materialize(generatedSpecs(t).map((s) => s.spec));
    generated += made.generated;
    generatedSpecs(t).forEach(({ upload }, i) => {
      const file: CorpusFile | undefined = made.files[i];
      if (file) filesOf[upload]?.push({ name: file.name, mimeType: file.mimeType, bytes: readFileSync(file.path) });
    });
    filesOf.forEach((files, i) => {
      uploads.push({
        tenant,
        title: `${files[0]?.name ?? 'upload'} (${tenant} #${i + 1})`,
        type: TYPES[(i + t) % TYPES.length] ?? 'Reference',
        intent: INTENTS[(i * 3 + t) % INTENTS.length] ?? 'Reference',
        tags: [LOAD_TAGS[i % LOAD_TAGS.length] ?? 'policy', `upload-${i + 1}`],
        files,
      });
    });
  }
  return { uploads, generated };
}

/** The multipart body a browser would send for `upload`. */
export function uploadForm(upload: Upload): FormData {
  const form = new FormData();
  form.append('title', upload.title);
  form.append('type', upload.type);
  form.append('intent', upload.intent);
  for (const tag of upload.tags) form.append('tags', tag);
  for (const file of upload.files) form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.mimeType }), file.name);
  return form;
}
