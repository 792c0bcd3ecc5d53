import { AlignmentType, Document, HeadingLevel, LevelFormat, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';

import { packDocx } from './pack-docx.js';
import { countWords, isoDate, listItem, money, paragraph, pickNoun, sentence, title } from './prose.js';
import { Rng } from './rng.js';

export interface DocxStats {
  /** Body paragraphs: title, headings, prose and list items (table cells not counted). */
  paragraphs: number;
  tables: number;
  words: number;
  /** Word has no page count until it lays the file out: estimated from lines (see estimatePages). */
  pages: number;
}

export interface GeneratedDocx {
  bytes: Buffer;
  stats: DocxStats;
}

type Block = Paragraph | Table;

/** Lines of an A4/Letter page of 11 pt text, for the page estimate. */
const LINES_PER_PAGE = 46;
const CHARS_PER_LINE = 95;

/**
 * A Word document of exactly `paragraphs` body paragraphs: a title, Heading 1/2 sections of prose,
 * bulleted and numbered lists (numbered lists restart), and tables with a header row between them
 * (more of each in a `handbook`). One paragraph gives a single short note.
 */
export async function makeDocx(paragraphs: number, seed: number, docTitle: string, handbook = false): Promise<GeneratedDocx> {
  const rng = new Rng(seed);
  const blocks: Block[] = [];
  const stats: DocxStats = { paragraphs: 0, tables: 0, words: 0, pages: 0 };
  let lines = 0;
  const add = (text: string, options: { heading?: (typeof HeadingLevel)[keyof typeof HeadingLevel]; bullet?: boolean; step?: number } = {}): void => {
    blocks.push(
      new Paragraph({
        text,
        ...(options.heading ? { heading: options.heading } : {}),
        ...(options.bullet ? { bullet: { level: 0 } } : {}),
        ...(options.step !== undefined ? { numbering: { reference: 'steps', level: 0, instance: options.step } } : {}),
      }),
    );
    stats.paragraphs++;
    afterHeading = options.heading !== undefined;
    stats.words += countWords(text);
    lines += options.heading ? 3 : Math.ceil(text.length / CHARS_PER_LINE) + (options.bullet || options.step !== undefined ? 0 : 1);
  };
  const left = (): number => paragraphs - stats.paragraphs;
  let afterHeading = false;

  if (paragraphs === 1) {
    add(`${docTitle}: ${paragraph(rng, 2, 4)}`);
  } else {
    add(docTitle, { heading: HeadingLevel.TITLE });
    let steps = 0;
    let chapter = 0;
    let section = 0;
    while (left() > 0) {
      // a handbook has chapters of about 40 paragraphs; other documents sections of about 8
      // a heading needs a paragraph after it
      if (handbook && left() >= 2 && (chapter === 0 || (!afterHeading && rng.chance(1 / 40)))) {
        add(`${++chapter}. ${title(rng, 3)}`, { heading: HeadingLevel.HEADING_1 });
        section = 0;
        continue;
      }
      if (left() >= 2 && (section === 0 || (!afterHeading && rng.chance(handbook ? 1 / 9 : 1 / 7)))) {
        add(handbook ? `${chapter}.${++section} ${title(rng)}` : `${++section}. ${title(rng)}`, { heading: handbook ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_1 });
        continue;
      }
      const roll = rng.next();
      if (roll < (handbook ? 0.1 : 0.07) && left() >= 2) {
        const items = Math.min(left(), rng.int(3, 7));
        for (let i = 0; i < items; i++) add(listItem(rng), { bullet: true });
      } else if (roll < (handbook ? 0.16 : 0.1) && left() >= 2) {
        const items = Math.min(left(), rng.int(3, 8));
        for (let i = 0; i < items; i++) add(`${listItem(rng)}.`, { step: steps });
        steps++;
      } else {
        add(paragraph(rng, 2, 6));
        if (rng.chance(handbook ? 0.06 : 0.04) && paragraphs >= 10) lines += addTable(blocks, rng, stats);
      }
    }
  }
  stats.pages = Math.max(1, Math.ceil(lines / LINES_PER_PAGE));

  const doc = new Document({
    title: docTitle,
    creator: 'Business Brain bench corpus',
    numbering: {
      config: [{ reference: 'steps', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }] }],
    },
    sections: [{ children: blocks }],
  });
  return { bytes: await packDocx(doc, docTitle), stats };
}

/** A ruled table with a bold header row; returns the lines it takes. */
function addTable(blocks: Block[], rng: Rng, stats: DocxStats): number {
  const kind = rng.int(0, 2);
  const headers = [['Item', 'Owner', 'Due', 'Budget'], ['Leave type', 'Days', 'Notice', 'Approver'], ['Risk', 'Likelihood', 'Impact', 'Mitigation']][kind] ?? [];
  const rows = Array.from({ length: rng.int(3, 12) }, () => {
    switch (kind) {
      case 0:
        return [title(rng, 2), rng.pick(['Finance', 'Operations', 'Legal', 'IT', 'HR']), isoDate(rng, 2024), money(rng, 200, 50000)];
      case 1:
        return [`${title(rng, 1)} leave`, String(rng.int(1, 30)), `${rng.int(1, 8)} weeks`, `the ${pickNoun(rng)} manager`];
      default:
        return [title(rng, 2), rng.pick(['low', 'medium', 'high']), rng.pick(['minor', 'moderate', 'severe']), sentence(rng)];
    }
  });
  const cell = (text: string, bold: boolean): TableCell => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });
  blocks.push(
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [new TableRow({ tableHeader: true, children: headers.map((h) => cell(h, true)) }), ...rows.map((r) => new TableRow({ children: r.map((c) => cell(c, false)) }))],
    }),
  );
  stats.tables++;
  stats.words += [headers, ...rows].flat().reduce((n, c) => n + countWords(c), 0);
  // a row of short cells is a line; the risk table's mitigation sentence wraps to about three
  return 2 + (rows.length + 1) * (kind === 2 ? 3 : 1.4);
}
