import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { makeBenchDocx } from '../compare-docx.js';
import { makeBenchPdf } from '../bench-pdf.js';
import { CORPUS_VERSION, type FileSpec } from './corpus-spec.js';
import { makeDocx } from './docx-documents.js';
import { makeBook, makeReceipt, makeShortDocument, makeTableReport } from './pdf-documents.js';

export const PDF_MIME = 'application/pdf';
export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export interface CorpusFile extends FileSpec {
  path: string;
  mimeType: string;
  bytes: number;
  /** Exact for PDFs; estimated for DOCX (see DocxStats.pages). */
  pages: number;
  pagesEstimated: boolean;
  sha256: string;
}

interface CachedMeta {
  sha256: string;
  pages: number;
  pagesEstimated: boolean;
}

/** Where generated files are kept between runs (BENCH_CORPUS_DIR, else the system temp folder). */
export function corpusCacheDir(): string {
  return join(process.env['BENCH_CORPUS_DIR'] ?? join(tmpdir(), 'bb-bench-corpus'), CORPUS_VERSION);
}

/**
 * The files of `specs` on disk: read from the cache when a file of the same version, namespace,
 * kind, size and name is there with the checksum recorded beside it, else generated and stored
 * (written under a temporary name, then renamed, so a run stopped half way leaves no torn file).
 */
export async function materialize(specs: FileSpec[]): Promise<{ files: CorpusFile[]; generated: number; ms: number }> {
  const started = performance.now();
  let generated = 0;
  const files: CorpusFile[] = [];
  for (const spec of specs) {
    const dir = join(corpusCacheDir(), spec.namespace);
    const path = join(dir, `${spec.kind}-${spec.size}-${spec.seed}-${spec.name}`);
    let meta = readCached(path);
    if (meta === null) {
      const made = await generate(spec);
      mkdirSync(dir, { recursive: true });
      meta = { sha256: sha256(made.bytes), pages: made.pages, pagesEstimated: made.pagesEstimated };
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, made.bytes);
      renameSync(temporary, path);
      writeFileSync(`${path}.json`, JSON.stringify(meta));
      generated++;
    }
    files.push({ ...spec, path, mimeType: spec.name.endsWith('.pdf') ? PDF_MIME : DOCX_MIME, bytes: readFileSync(path).length, ...meta });
  }
  return { files, generated, ms: performance.now() - started };
}

function readCached(path: string): CachedMeta | null {
  if (!existsSync(path) || !existsSync(`${path}.json`)) return null;
  try {
    const meta = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as CachedMeta;
    return meta.sha256 === sha256(readFileSync(path)) ? meta : null;
  } catch {
    return null;
  }
}

async function generate(spec: FileSpec): Promise<{ bytes: Buffer; pages: number; pagesEstimated: boolean }> {
  const pdf = async (bytes: Promise<Buffer>): Promise<{ bytes: Buffer; pages: number; pagesEstimated: boolean }> => ({ bytes: await bytes, pages: spec.size, pagesEstimated: false });
  const heading = spec.name.replace(/(-\d+)?\.(pdf|docx)$/, '').replace(/-/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
  switch (spec.kind) {
    case 'book':
      return pdf(makeBook(spec.size, spec.seed, heading));
    case 'report':
      return pdf(makeTableReport(spec.size, spec.seed, heading));
    case 'short-pdf':
      return pdf(makeShortDocument(spec.size, spec.seed, heading));
    case 'receipt':
      return pdf(makeReceipt(spec.seed, heading.replace(/^Receipt \d+ /, '')));
    case 'bench-pdf':
      return pdf(makeBenchPdf(spec.size, spec.seed));
    case 'docx':
    case 'handbook': {
      const made = await makeDocx(spec.size, spec.seed, heading, spec.kind === 'handbook');
      return { bytes: made.bytes, pages: made.stats.pages, pagesEstimated: true };
    }
    case 'bench-docx':
      return { bytes: await makeBenchDocx(spec.size, spec.seed), pages: spec.size, pagesEstimated: true };
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Totals of a corpus and a line per group, as printed before a scenario. */
export function describeCorpus(label: string, files: CorpusFile[]): string {
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(2);
  const groups = new Map<string, CorpusFile[]>();
  // PDFs before DOCX, bigger files first
  const ordered = [...files].sort((a, b) => Number(a.mimeType !== PDF_MIME) - Number(b.mimeType !== PDF_MIME) || b.pages - a.pages);
  for (const f of ordered) groups.set(f.group, [...(groups.get(f.group) ?? []), f]);
  const sum = (fs: CorpusFile[], pick: (f: CorpusFile) => number): number => fs.reduce((n, f) => n + pick(f), 0);
  const pdfs = files.filter((f) => f.mimeType === PDF_MIME);
  const docx = files.filter((f) => f.mimeType === DOCX_MIME);
  const lines = [
    `Corpus "${label}": ${files.length} files (${pdfs.length} PDF, ${docx.length} DOCX), ${sum(files, (f) => f.pages)} pages ` +
      `(${sum(pdfs, (f) => f.pages)} PDF pages + ${sum(docx, (f) => f.pages)} DOCX pages estimated), ${mb(sum(files, (f) => f.bytes))} MB`,
    '',
    '| group | files | pages | sizes | MB |',
    '|---|---|---|---|---|',
    ...[...groups].map(([group, fs]) => {
      const sizes = fs.map((f) => f.size);
      const unit = fs[0]?.kind === 'docx' || fs[0]?.kind === 'handbook' ? ' paragraphs' : ' pages';
      const range = Math.min(...sizes) === Math.max(...sizes) ? `${sizes[0]}${unit}` : `${Math.min(...sizes)}-${Math.max(...sizes)}${unit}`;
      const big = fs.length <= 3 ? ` (upload ${fs.map((f) => `#${files.indexOf(f) + 1}`).join(', ')})` : '';
      return `| ${group} | ${fs.length} | ${sum(fs, (f) => f.pages)} | ${range.replace(/^1 pages$/, '1 page')}${big} | ${mb(sum(fs, (f) => f.bytes))} |`;
    }),
  ];
  return lines.join('\n');
}
