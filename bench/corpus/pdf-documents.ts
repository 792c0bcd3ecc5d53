import { CONTENT_WIDTH, PdfLayout, type TableColumn } from './pdf-layout.js';
import { formatMoney, isoDate, listItem, money, paragraph, pickNoun, title } from './prose.js';
import { Rng } from './rng.js';

/**
 * The PDF kinds of the mixed corpus, each filling an exact page count: a book (title page,
 * contents, chapters of sections with lists and small tables), a table-heavy report (long ruled
 * tables running over many pages), a short document (policy, minutes, proposal) and a one-page
 * receipt. Same seed, same bytes.
 */

export async function makeBook(pages: number, seed: number, bookTitle: string): Promise<Buffer> {
  if (pages < 4) return makeShortDocument(pages, seed, bookTitle);
  const rng = new Rng(seed);
  const layout = new PdfLayout({ title: bookTitle, totalPages: pages, bodyFont: 'Times-Roman', bodySize: 10.5 });
  const chapters = planChapters(rng.fork('plan'), pages);
  layout.newPage();
  layout.space(180);
  layout.centred([bookTitle], 26, true);
  layout.centred([`${title(rng, 3)} Edition`, `Version ${rng.int(2, 9)}.${rng.int(0, 9)} - January 2024`, 'Northwind Holdings Ltd.'], 13);

  layout.breakPage();
  layout.heading('Contents', 18, 1 + chapters.tocPages);
  for (const chapter of chapters.list) {
    if (!layout.contentsLine(`Chapter ${chapter.number}. ${chapter.title}`, String(chapter.first), 1 + chapters.tocPages)) {
      throw new Error(`${bookTitle}: the contents do not fit ${chapters.tocPages} pages`);
    }
  }

  for (const chapter of chapters.list) {
    const r = rng.fork(`chapter-${chapter.number}`);
    layout.newPage();
    if (layout.pageNumber !== chapter.first) throw new Error(`${bookTitle}: chapter ${chapter.number} starts on page ${layout.pageNumber}, planned ${chapter.first}`);
    layout.heading(`Chapter ${chapter.number}. ${chapter.title}`, 18, chapter.last);
    layout.paragraph(paragraph(r, 4, 8), chapter.last);
    let tableNumber = 0;
    for (let section = 1; ; section++) {
      if (!writeSection(layout, r, chapter.last, { text: `${chapter.number}.${section} ${title(r)}`, size: 13 }, () => `Table ${chapter.number}.${++tableNumber}: ${title(r, 3)}`)) break;
    }
  }
  return layout.finish();
}

export async function makeTableReport(pages: number, seed: number, reportTitle: string): Promise<Buffer> {
  const rng = new Rng(seed);
  const layout = new PdfLayout({ title: reportTitle, totalPages: pages, bodySize: 9.5 });
  layout.newPage();
  layout.space(160);
  layout.centred([reportTitle], 24, true);
  layout.centred(['Fiscal year 2024', 'Prepared by the Finance and Operations office', `Issued ${isoDate(rng, 2025)}`], 12);
  if (pages === 1) return layout.finish();

  layout.newPage();
  layout.heading('Summary', 16, pages);
  layout.paragraph(paragraph(rng, 5, 8), pages);
  layout.paragraph(paragraph(rng, 4, 7), pages);
  for (let section = 1; ; section++) {
    const table = REPORT_TABLES[(section - 1) % REPORT_TABLES.length];
    if (table === undefined) break;
    const r = rng.fork(`section-${section}`);
    if (!layout.heading(`${section}. ${table.title} (${r.pick(REGIONS)})`, 13, pages)) break;
    if (!layout.paragraph(paragraph(r, 2, 4), pages)) break;
    const rows = Array.from({ length: r.int(30, 220) }, () => table.row(r));
    if (!layout.table(table.columns, rows, pages, { split: true, size: 8.5 })) break;
    if (r.chance(0.4) && !layout.paragraph(`Notes: ${paragraph(r, 1, 3)}`, pages, { size: 8.5 })) break;
  }
  return layout.finish();
}

/** A policy, minutes, proposal or the like, 1 to 20 pages. */
export async function makeShortDocument(pages: number, seed: number, docTitle: string): Promise<Buffer> {
  const rng = new Rng(seed);
  const layout = new PdfLayout({ title: docTitle, totalPages: pages, runningHeader: pages > 2 });
  layout.newPage();
  layout.heading(docTitle, 18, 1);
  layout.paragraph(`${rng.pick(['Policy', 'Meeting minutes', 'Proposal', 'Procedure', 'Statement of work', 'Product sheet'])} - version ${rng.int(1, 6)} - ${isoDate(rng, 2024)}`, 1, { size: 9 });
  for (let section = 1; ; section++) {
    if (!writeSection(layout, rng, pages, { text: `${section}. ${title(rng)}`, size: 12 }, () => `Table ${section}: ${title(rng, 3)}`)) break;
  }
  return layout.finish();
}

export async function makeReceipt(seed: number, merchant: string): Promise<Buffer> {
  const rng = new Rng(seed);
  const layout = new PdfLayout({ title: `Receipt - ${merchant}`, totalPages: 1, runningHeader: false });
  layout.newPage();
  layout.heading(merchant, 16, 1);
  layout.paragraph(`${rng.int(10, 999)} ${rng.pick(STREETS)}, ${rng.pick(CITIES)}\nVAT no. GB${rng.int(100000000, 999999999)}`, 1, { size: 9 });
  layout.paragraph(`Receipt R-${rng.int(10000, 99999)}    Date ${isoDate(rng, 2024)} ${rng.int(8, 19)}:${String(rng.int(0, 59)).padStart(2, '0')}    Till ${rng.int(1, 9)}`, 1, { size: 9 });
  const items = Array.from({ length: rng.int(2, 14) }, () => ({ quantity: rng.int(1, 6), name: rng.pick(ITEMS), unit: rng.int(150, 24900) / 100 }));
  const columns: TableColumn[] = [
    { header: 'Qty', width: 40, align: 'right' },
    { header: 'Description', width: 248 },
    { header: 'Unit price', width: 90, align: 'right' },
    { header: 'Amount', width: 90, align: 'right' },
  ];
  layout.table(columns, items.map((i) => [String(i.quantity), i.name, formatMoney(i.unit), formatMoney(i.quantity * i.unit)]), 1);
  const subtotal = items.reduce((n, i) => n + i.quantity * i.unit, 0);
  const tax = Math.round(subtotal * 20) / 100;
  const totals: TableColumn[] = [{ header: '', width: 378, align: 'right' }, { header: '', width: 90, align: 'right' }];
  layout.table(totals, [['Subtotal', formatMoney(subtotal)], ['VAT 20%', formatMoney(tax)], ['Total', formatMoney(subtotal + tax)]], 1, { header: false });
  layout.paragraph(`Paid by ${rng.pick(['Visa', 'Mastercard', 'Amex'])} ending ${rng.int(1000, 9999)}. Returns accepted within 30 days with this receipt.`, 1, { size: 9 });
  layout.paragraph('Thank you for your purchase.', 1, { size: 9, bold: true });
  return layout.finish();
}

/** A heading over paragraphs, sometimes a list or a small table. False once something did not fit before `lastPage` ends. */
function writeSection(layout: PdfLayout, rng: Rng, lastPage: number, heading: { text: string; size: number }, caption: () => string): boolean {
  const first = paragraph(rng);
  if (!layout.heading(heading.text, heading.size, lastPage, layout.measure(first))) return false;
  const blocks = rng.int(2, 6);
  for (let b = 0; b < blocks; b++) {
    if (!layout.paragraph(b === 0 ? first : paragraph(rng), lastPage)) return false;
    if (rng.chance(0.15) && !layout.list(Array.from({ length: rng.int(3, 6) }, () => listItem(rng)), rng.chance(0.4), lastPage)) return false;
    if (rng.chance(0.08)) {
      const table = smallTable(rng);
      if (!layout.table(table.columns, table.rows, lastPage, { caption: caption() })) return false;
    }
  }
  return true;
}

function smallTable(rng: Rng): { columns: TableColumn[]; rows: string[][] } {
  const columns: TableColumn[] = [
    { header: 'Item', width: 150 },
    { header: 'Owner', width: 120 },
    { header: 'Due', width: 70 },
    { header: 'Budget', width: 70, align: 'right' },
    { header: 'Status', width: CONTENT_WIDTH - 410 },
  ];
  const rows = Array.from({ length: rng.int(3, 9) }, () => [
    title(rng, 2),
    rng.pick(PEOPLE),
    isoDate(rng, 2024),
    money(rng, 500, 90000),
    rng.pick(['open', 'done', 'late', 'planned']),
  ]);
  return { columns, rows };
}

interface Chapter {
  number: number;
  title: string;
  first: number;
  last: number;
}

/** Chapters of 5 to 16 pages after the title page and the contents, ending exactly on `pages`. */
function planChapters(rng: Rng, pages: number): { tocPages: number; list: Chapter[] } {
  for (let tocPages = 1; ; tocPages++) {
    const list: Chapter[] = [];
    let first = 2 + tocPages;
    while (first <= pages) {
      let length = Math.min(pages - first + 1, rng.int(5, 16));
      if (pages - (first + length - 1) < 3) length = pages - first + 1;
      list.push({ number: list.length + 1, title: title(rng, 3), first, last: first + length - 1 });
      first += length;
    }
    // 37 contents lines fit the first contents page (under its heading), 39 the next ones
    if (list.length <= tocPages * 37) return { tocPages, list };
  }
}

interface ReportTable {
  title: string;
  columns: TableColumn[];
  row(rng: Rng): string[];
}

const REGIONS = ['North', 'South', 'East', 'West', 'Central', 'Nordics', 'Benelux', 'Iberia', 'DACH', 'UK and Ireland'];
const PEOPLE = ['A. Patel', 'J. Moreau', 'K. Schmidt', 'L. Okafor', 'M. Rossi', 'S. Novak', 'T. Nakamura', 'R. Silva', 'E. Larsen', 'D. Walsh'];
const STREETS = ['High Street', 'Station Road', 'Mill Lane', 'Church Street', 'Market Square', 'Harbour Road', 'King Street'];
const CITIES = ['Leeds', 'Bristol', 'York', 'Norwich', 'Exeter', 'Dundee', 'Cardiff', 'Bath'];
const ITEMS = (
  'Printer paper A4 (5 reams)|USB-C cable 2 m|Coffee beans 1 kg|Desk lamp LED|Toner cartridge black|Whiteboard markers (8)|' +
  'Notebook A5 ruled|Ergonomic mouse|Monitor stand|Sticky notes (12 pads)|Filing boxes (10)|Headset with microphone|' +
  'Cleaning service (hours)|Sandwich platter|Bottled water (24)|Parcel postage|Courier same day|Laptop sleeve 14 in|' +
  'HDMI adapter|Label printer tape|Hand sanitiser 500 ml|First aid kit refill|Meeting room booking|Taxi fare'
).split('|');

const REPORT_TABLES: ReportTable[] = [
  {
    title: 'Sales by region and product line',
    columns: [
      { header: 'Region', width: 72 },
      { header: 'Product line', width: 110 },
      { header: 'Units', width: 50, align: 'right' },
      { header: 'Revenue', width: 76, align: 'right' },
      { header: 'Cost', width: 70, align: 'right' },
      { header: 'Margin', width: 45, align: 'right' },
      { header: 'Change', width: 45, align: 'right' },
    ],
    row: (r) => {
      const revenue = r.int(100_000, 90_000_000) / 100;
      const margin = r.int(5, 62);
      return [r.pick(REGIONS), title(r, 2), String(r.int(10, 9000)), formatMoney(revenue), formatMoney(revenue * (1 - margin / 100)), `${margin}%`, `${r.chance(0.3) ? '-' : '+'}${r.int(0, 40)}.${r.int(0, 9)}%`];
    },
  },
  {
    title: 'Inventory by warehouse',
    columns: [
      { header: 'Warehouse', width: 70 },
      { header: 'SKU', width: 62 },
      { header: 'Description', width: 136 },
      { header: 'On hand', width: 50, align: 'right' },
      { header: 'Reserved', width: 50, align: 'right' },
      { header: 'Reorder', width: 50, align: 'right' },
      { header: 'Status', width: 50 },
    ],
    row: (r) => [r.pick(CITIES), `SKU-${r.int(10000, 99999)}`, r.pick(ITEMS), String(r.int(0, 5000)), String(r.int(0, 800)), String(r.int(50, 900)), r.pick(['ok', 'low', 'reorder', 'hold'])],
  },
  {
    title: 'Support tickets by week and category',
    columns: [
      { header: 'Week', width: 60 },
      { header: 'Category', width: 128 },
      { header: 'Opened', width: 50, align: 'right' },
      { header: 'Closed', width: 50, align: 'right' },
      { header: 'Backlog', width: 55, align: 'right' },
      { header: 'Median h', width: 60, align: 'right' },
      { header: 'SLA met', width: 65, align: 'right' },
    ],
    row: (r) => [`2024-W${String(r.int(1, 52)).padStart(2, '0')}`, `${pickNoun(r)} ${r.pick(['issue', 'request', 'question', 'outage'])}`, String(r.int(0, 400)), String(r.int(0, 400)), String(r.int(0, 120)), `${r.int(0, 96)}.${r.int(0, 9)}`, `${r.int(70, 100)}%`],
  },
  {
    title: 'Expense ledger',
    columns: [
      { header: 'Date', width: 62 },
      { header: 'Account', width: 80 },
      { header: 'Cost centre', width: 70 },
      { header: 'Vendor', width: 110 },
      { header: 'Reference', width: 66 },
      { header: 'Amount', width: 80, align: 'right' },
    ],
    row: (r) => [isoDate(r, 2024), `${r.int(4000, 7999)} ${pickNoun(r)}`, `CC-${r.int(100, 999)}`, `${r.pick(['Northwind', 'Harbor', 'Summit', 'Granite', 'Maple'])} ${r.pick(['Ltd', 'Services', 'Supply', 'Group'])}`, `INV-${r.int(10000, 99999)}`, money(r, 10, 48000)],
  },
  {
    title: 'Headcount by department and location',
    columns: [
      { header: 'Department', width: 110 },
      { header: 'Location', width: 78 },
      { header: 'Headcount', width: 60, align: 'right' },
      { header: 'Hires', width: 50, align: 'right' },
      { header: 'Leavers', width: 50, align: 'right' },
      { header: 'Open roles', width: 60, align: 'right' },
      { header: 'Attrition', width: 60, align: 'right' },
    ],
    row: (r) => [`${title(r, 1)} ${r.pick(['Operations', 'Sales', 'Finance', 'Support', 'Engineering'])}`, r.pick(CITIES), String(r.int(3, 400)), String(r.int(0, 30)), String(r.int(0, 25)), String(r.int(0, 15)), `${r.int(1, 25)}.${r.int(0, 9)}%`],
  },
];
