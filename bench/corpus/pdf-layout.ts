import PDFDocument from 'pdfkit';

import { CORPUS_DATE } from './fixed-date.js';


export interface TableColumn {
  header: string;
  /** Points. */
  width: number;
  align?: 'left' | 'right';
}

export interface ParagraphOptions {
  size?: number;
  bold?: boolean;
  indent?: number;
}

export interface PdfLayoutOptions {
  title: string;
  /** The exact page count the file must end with (checked by finish()). */
  totalPages: number;
  bodyFont?: 'Times-Roman' | 'Helvetica';
  bodySize?: number;
  /** Running header on every page but the first. */
  runningHeader?: boolean;
}

const PAGE_HEIGHT = 792;
const LEFT = 72;
export const CONTENT_WIDTH = 468;
const TOP = 72;
/** Blocks stop here; pdfkit's own page break sits lower (bottom margin 36), so a block we measured a little short never makes pdfkit add a page of its own. */
const BOTTOM = PAGE_HEIGHT - 72;
const FOOTER_Y = PAGE_HEIGHT - 50;

/**
 * A page-by-page writer over pdfkit with the layout of an ordinary business document: running
 * header, "Page n of N" footer, headings, paragraphs, lists and ruled tables as aligned columns
 * of text. Blocks are never split across pages (table rows are blocks of their own), and every
 * block says whether it still fits before `lastPage` ends: generators fill a page range exactly,
 * so a file's page count is known before it is written.
 */
export class PdfLayout {
  private readonly doc: PDFKit.PDFDocument;
  private readonly bytes: Promise<Buffer>;
  private readonly bodyFont: string;
  private readonly boldFont: string;
  private readonly bodySize: number;
  private page = 0;
  private y = TOP;

  constructor(private readonly options: PdfLayoutOptions) {
    this.bodyFont = options.bodyFont ?? 'Helvetica';
    this.boldFont = this.bodyFont === 'Times-Roman' ? 'Times-Bold' : 'Helvetica-Bold';
    this.bodySize = options.bodySize ?? 10;
    this.doc = new PDFDocument({
      size: 'LETTER',
      margins: { top: TOP, bottom: 36, left: LEFT, right: 612 - LEFT - CONTENT_WIDTH },
      autoFirstPage: false,
      info: { Title: options.title, Author: 'Business Brain bench corpus', CreationDate: CORPUS_DATE },
    });
    const parts: Buffer[] = [];
    this.bytes = new Promise((resolve, reject) => {
      this.doc.on('data', (b: Buffer) => parts.push(b));
      this.doc.on('end', () => resolve(Buffer.concat(parts)));
      this.doc.on('error', reject);
    });
  }

  get pageNumber(): number {
    return this.page;
  }

  newPage(): void {
    if (this.page > 0) this.footer();
    this.doc.addPage();
    this.page++;
    this.y = TOP;
    if (this.options.runningHeader !== false && this.page > 1) {
      this.doc.font(this.bodyFont).fontSize(8).fillColor('#555555');
      this.doc.text(this.options.title, LEFT, 40, { width: CONTENT_WIDTH, lineBreak: false });
      this.doc.fillColor('black');
    }
  }

  /** Moves down `points` (stays on the page). */
  space(points: number): void {
    this.y = Math.min(this.y + points, BOTTOM);
  }

  /** Starts a new page unless the current one is still empty. */
  breakPage(): void {
    if (this.y > TOP || this.page === 0) this.newPage();
  }

  /** `keepWith`: the height of what must follow on the same page (else two body lines). */
  heading(text: string, size: number, lastPage: number, keepWith = this.bodySize * 3): boolean {
    if (!this.room(size * 2 + keepWith, lastPage)) return false;
    this.y += this.y > TOP ? size * 0.6 : 0;
    this.doc.font(this.boldFont).fontSize(size).text(text, LEFT, this.y, { width: CONTENT_WIDTH });
    this.y = this.doc.y + size * 0.4;
    return true;
  }

  /** Centred lines in `size`, e.g. a title page. */
  centred(lines: string[], size: number, bold = false): void {
    this.doc.font(bold ? this.boldFont : this.bodyFont).fontSize(size);
    for (const line of lines) {
      this.doc.text(line, LEFT, this.y, { width: CONTENT_WIDTH, align: 'center' });
      this.y = this.doc.y + size * 0.5;
    }
  }

  /** The height `paragraph(text)` takes. */
  measure(text: string, options: ParagraphOptions = {}): number {
    this.doc.font(options.bold ? this.boldFont : this.bodyFont).fontSize(options.size ?? this.bodySize);
    return this.doc.heightOfString(text, { width: CONTENT_WIDTH - (options.indent ?? 0), lineGap: 1.5 });
  }

  paragraph(text: string, lastPage: number, options: ParagraphOptions = {}): boolean {
    const size = options.size ?? this.bodySize;
    const indent = options.indent ?? 0;
    const height = this.measure(text, options);
    if (!this.room(height, lastPage)) return false;
    this.doc.text(text, LEFT + indent, this.y, { width: CONTENT_WIDTH - indent, lineGap: 1.5 });
    this.y = this.doc.y + size * 0.7;
    return true;
  }

  /** A contents line: `text` on the left, `page` on the right, dot leaders between. */
  contentsLine(text: string, page: string, lastPage: number): boolean {
    const size = this.bodySize;
    if (!this.room(size + 6, lastPage)) return false;
    this.doc.font(this.bodyFont).fontSize(size);
    const dots = '.'.repeat(Math.max(3, Math.floor((CONTENT_WIDTH - 40 - this.doc.widthOfString(text)) / this.doc.widthOfString('.'))));
    this.doc.text(`${text} ${dots}`, LEFT, this.y, { width: CONTENT_WIDTH - 36, lineBreak: false });
    this.doc.text(page, LEFT + CONTENT_WIDTH - 36, this.y, { width: 36, align: 'right', lineBreak: false });
    this.y += size + 6;
    return true;
  }

  /** A bulleted list, or numbered from 1 when `numbered`; the list moves to the next page whole. */
  list(items: string[], numbered: boolean, lastPage: number): boolean {
    this.doc.font(this.bodyFont).fontSize(this.bodySize);
    const heights = items.map((item) => this.doc.heightOfString(item, { width: CONTENT_WIDTH - 32, lineGap: 1.5 }) + 3);
    if (!this.room(heights.reduce((a, b) => a + b, 0), lastPage)) return false;
    items.forEach((item, i) => {
      this.doc.text(numbered ? `${i + 1}.` : '\u2022', LEFT + 12, this.y, { width: 18, lineBreak: false });
      this.doc.text(item, LEFT + 32, this.y, { width: CONTENT_WIDTH - 32, lineGap: 1.5 });
      this.y = this.doc.y + 3;
    });
    this.y += this.bodySize * 0.5;
    return true;
  }

  /**
   * A ruled table. `split`: rows flow onto the next pages with the header row repeated (a long
   * report table); otherwise the table moves to the next page whole. False once a row does not fit
   * before `lastPage` ends (the rows before it are drawn).
   */
  table(
    columns: TableColumn[],
    rows: string[][],
    lastPage: number,
    options: { size?: number; split?: boolean; caption?: string; header?: boolean } = {},
  ): boolean {
    const header = options.header !== false;
    const size = options.size ?? this.bodySize - 1;
    const rowHeight = size + 5;
    const captionHeight = options.caption ? size + 8 : 0;
    const whole = captionHeight + rowHeight * (rows.length + (header ? 1 : 0)) + 6;
    if (!this.room(options.split ? captionHeight + rowHeight * 3 : whole, lastPage)) return false;
    if (options.caption) {
      this.doc.font(this.boldFont).fontSize(size).text(options.caption, LEFT, this.y, { width: CONTENT_WIDTH, lineBreak: false });
      this.y += captionHeight;
    }
    if (header) this.tableRow(columns, columns.map((c) => c.header), size, true);
    for (const row of rows) {
      if (this.y + rowHeight > BOTTOM) {
        if (this.page >= lastPage) return false;
        this.newPage();
        if (header) this.tableRow(columns, columns.map((c) => c.header), size, true);
      }
      this.tableRow(columns, row, size, false);
    }
    this.y += 8;
    return true;
  }

  async finish(): Promise<Buffer> {
    if (this.page !== this.options.totalPages) {
      throw new Error(`${this.options.title}: laid out ${this.page} pages, expected ${this.options.totalPages}`);
    }
    this.footer();
    this.doc.end();
    return this.bytes;
  }

  private tableRow(columns: TableColumn[], cells: string[], size: number, header: boolean): void {
    this.doc.font(header ? this.boldFont : this.bodyFont).fontSize(size);
    let x = LEFT;
    columns.forEach((column, i) => {
      const text = this.fit(cells[i] ?? '', column.width - 6);
      this.doc.text(text, x + 3, this.y + 2, { width: column.width - 6, align: column.align ?? 'left', lineBreak: false });
      x += column.width;
    });
    this.y += size + 5;
    this.doc
      .moveTo(LEFT, this.y - 1)
      .lineTo(x, this.y - 1)
      .lineWidth(header ? 0.8 : 0.3)
      .strokeColor(header ? '#000000' : '#999999')
      .stroke();
  }

  /** Drops words from the end until `text` fits `width` in the current font. */
  private fit(text: string, width: number): string {
    let fitted = text;
    while (fitted.includes(' ') && this.doc.widthOfString(fitted) > width) fitted = fitted.slice(0, fitted.lastIndexOf(' '));
    return fitted;
  }

  /** True with the cursor where `height` points fit: on this page, or at the top of a new one if `lastPage` allows. */
  private room(height: number, lastPage: number): boolean {
    if (this.page > 0 && this.y + height <= BOTTOM) return true;
    if (this.page >= lastPage) return false;
    this.newPage();
    return true;
  }

  private footer(): void {
    this.doc.font(this.bodyFont).fontSize(8).fillColor('#555555');
    this.doc.text(`Page ${this.page} of ${this.options.totalPages}`, LEFT, FOOTER_Y, { width: CONTENT_WIDTH, align: 'center', lineBreak: false });
    this.doc.fillColor('black');
  }
}
