import { Document, HeadingLevel, Paragraph } from 'docx';

import { packDocx } from './corpus/pack-docx.js';

import { seededWords } from './seeded-words.js';

const WORDS = (
  'quarterly revenue forecast supplier inventory logistics warehouse procurement budget headcount hiring training ' +
  'handbook leave expenses travel approval vendor invoice reconciliation ledger forecast churn roadmap release'
).split(' ');

/**
 * A DOCX of about `pages` pages of prose with headings, distinct per seed: each "page" is a
 * Heading 1 (starting a new page) and two Heading 2 sections of three 70-word paragraphs, about
 * the text density of one page of `makeBenchPdf`.
 */
export function makeBenchDocx(pages: number, seed: number): Promise<Buffer> {
  const words = seededWords(WORDS, seed * 2246822519 + 7);
  const prose = (): Paragraph => new Paragraph(`${words(70)}.`);
  const children: Paragraph[] = [];
  for (let p = 0; p < pages; p++) {
    children.push(new Paragraph({ text: `Part ${p + 1} (memo ${seed})`, heading: HeadingLevel.HEADING_1, pageBreakBefore: p > 0 }));
    for (let section = 0; section < 2; section++) {
      children.push(new Paragraph({ text: `Topic ${p + 1}.${section + 1}`, heading: HeadingLevel.HEADING_2 }));
      for (let para = 0; para < 3; para++) children.push(prose());
    }
  }
  return packDocx(new Document({ title: `Bench memo ${seed}`, sections: [{ children }] }), `Bench memo ${seed}`);
}
