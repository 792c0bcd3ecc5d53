import PDFDocument from 'pdfkit';

import { CORPUS_DATE } from './corpus/fixed-date.js';
import { seededWords } from './seeded-words.js';

export const BENCH_WORDS = (
  'invoice refund policy customer warranty shipping delivery returns onboarding payroll security password incident ' +
  'escalation support ticket pricing discount contract renewal compliance audit privacy retention backup recovery'
).split(' ');

/** A dense `pages`-page PDF with a real text layer (~45 lines of prose a page), distinct per seed. */
export function makeBenchPdf(pages: number, seed: number): Promise<Buffer> {
  const prose = seededWords(BENCH_WORDS, seed * 2654435761 + 1);
  return new Promise((resolve, reject) => {
    // a fixed creation date: the same bytes on every run (pdfkit derives the file ID from it)
    const doc = new PDFDocument({ info: { CreationDate: CORPUS_DATE } });
    const parts: Buffer[] = [];
    doc.on('data', (b: Buffer) => parts.push(b));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
    doc.fontSize(10);
    for (let p = 0; p < pages; p++) {
      if (p > 0) doc.addPage();
      doc.text(`Chapter ${p + 1} (document ${seed})`);
      for (let para = 0; para < 6; para++) {
        doc.moveDown().text(`${prose(70)}.`);
      }
    }
    doc.end();
  });
}
